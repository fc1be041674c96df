package dev.parma.identity;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The platform's certificate authority: the one root every service, node and operator certificate chains to, and
 * the only thing a service trusts for another's identity. Its key stays with the operator's enrolment tool (the
 * {@code ca} directory of a PKI); services and nodes get only its certificate.
 */
public final class PlatformCa {

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;

    private PlatformCa(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new CA with a fresh P-256 key. */
    public static PlatformCa create(String name) {
        KeyPair pair = newKey();
        var subject = new X500Principal("CN=" + name);
        var now = Instant.now();
        try {
            var utils = new JcaX509ExtensionUtils();
            var builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(pair.getPublic()));
            return new PlatformCa(pair.getPrivate(), sign(builder, pair.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the platform CA", e);
        }
    }

    /** The CA kept in {@code dir} ({@code ca.pem}, {@code ca-key.pem}). */
    public static PlatformCa load(Path dir) {
        var cert = Pem.certificates(Pem.read(dir.resolve("ca.pem"))).get(0);
        var key = Pem.privateKey(Pem.read(dir.resolve("ca-key.pem")));
        return new PlatformCa(key, cert);
    }

    /** Loads the CA in {@code dir}, or creates and saves one there. */
    public static PlatformCa loadOrCreate(Path dir, String name) {
        if (Files.exists(dir.resolve("ca-key.pem"))) {
            return load(dir);
        }
        var ca = create(name);
        ca.save(dir);
        return ca;
    }

    public void save(Path dir) {
        Pem.write(dir.resolve("ca.pem"), Pem.encode(certificate), false);
        Pem.write(dir.resolve("ca-key.pem"), Pem.encode(key), true);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A fresh key and a certificate naming {@code principal} for {@code purpose}. TLS certificates carry
     * {@code hosts} (DNS names or IP literals) as subject alternative names, so clients that check host names
     * accept them.
     */
    public Credentials issue(Principal principal, Purpose purpose, List<String> hosts) {
        KeyPair pair = newKey();
        return new Credentials(pair.getPrivate(), List.of(certify(principal, purpose, hosts, pair.getPublic()),
                certificate));
    }

    private X509Certificate certify(Principal principal, Purpose purpose, List<String> hosts, PublicKey publicKey) {
        var now = Instant.now();
        try {
            var utils = new JcaX509ExtensionUtils();
            var builder = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(LEAF_VALIDITY)), new X500Principal("CN=" + principal.commonName()), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            if (purpose == Purpose.TLS) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                                new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                if (!hosts.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false, names(hosts));
                }
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyAgreement));
            }
            return sign(builder, key);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + principal.commonName(), e);
        }
    }

    private static GeneralNames names(List<String> hosts) {
        var names = new ArrayList<GeneralName>();
        for (String h : hosts) {
            names.add(isIpLiteral(h)
                    ? new GeneralName(GeneralName.iPAddress, h)
                    : new GeneralName(GeneralName.dNSName, h));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static boolean isIpLiteral(String host) {
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            InetAddress.getByName(host); // literals only: no lookup happens for these shapes
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    static KeyPair newKey() {
        try {
            var gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no P-256 in this JDK", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
