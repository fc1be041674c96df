package dev.parma.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * One principal's credentials on disk, the directory a service or node is given ({@code PARMA_IDENTITY_DIR}):
 *
 * <pre>
 * ca.pem               the platform CA (the only trust anchor for platform identities)
 * tls.pem              TLS certificate chain (leaf first)
 * tls-key.pem          its PKCS#8 key (0600)
 * tls-keystore.pem     key then chain in one file (0600): Kafka's PEM key store
 * sealing.pem          nodes only: the certificate secrets are sealed to
 * sealing-key.pem      nodes only: its key (0600)
 * </pre>
 */
public record IdentityDir(Path path) {

    public Path caFile() {
        return path.resolve("ca.pem");
    }

    public Path certFile() {
        return path.resolve("tls.pem");
    }

    public Path keyFile() {
        return path.resolve("tls-key.pem");
    }

    public Path keystoreFile() {
        return path.resolve("tls-keystore.pem");
    }

    public Path sealingCertFile() {
        return path.resolve("sealing.pem");
    }

    public Path sealingKeyFile() {
        return path.resolve("sealing-key.pem");
    }

    public X509Certificate ca() {
        return Pem.certificates(Pem.read(caFile())).get(0);
    }

    public Credentials tls() {
        return new Credentials(Pem.privateKey(Pem.read(keyFile())), Pem.certificates(Pem.read(certFile())));
    }

    public Optional<Credentials> sealing() {
        if (!Files.exists(sealingKeyFile())) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(Pem.privateKey(Pem.read(sealingKeyFile())),
                Pem.certificates(Pem.read(sealingCertFile()))));
    }

    /** Writes this principal's files (the directory itself becomes 0700). */
    public IdentityDir write(X509Certificate ca, Credentials tls, Optional<Credentials> sealing) {
        Pem.write(caFile(), Pem.encode(ca), false);
        Pem.write(certFile(), Pem.encode(tls.chain()), false);
        Pem.write(keyFile(), Pem.encode(tls.key()), true);
        Pem.write(keystoreFile(), Pem.encode(tls.key()) + Pem.encode(tls.chain()), true);
        sealing.ifPresent(s -> {
            Pem.write(sealingCertFile(), Pem.encode(s.chain()), false);
            Pem.write(sealingKeyFile(), Pem.encode(s.key()), true);
        });
        Files600.ownerOnly(path);
        return this;
    }

    /** The files' paths as configuration values (absolute). */
    public List<Path> files() {
        return List.of(caFile(), certFile(), keyFile(), keystoreFile());
    }
}
