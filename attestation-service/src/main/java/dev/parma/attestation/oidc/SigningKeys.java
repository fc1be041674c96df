package dev.parma.attestation.oidc;

import dev.parma.attestation.config.AttestationConfig;
import dev.parma.identity.MasterKey;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.logging.Logger;

/**
 * Token signing keys, kept in PostgreSQL with the private key sealed under the master key. Each key is published with
 * a self-signed certificate in x5c, kid = standard-base64 SHA-256 of the certificate (MAA's kid form). The newest
 * unretired key signs; on rotation the previous one is retired but stays in the JWKS for the retention period, so
 * tokens it signed still verify.
 */
@ApplicationScoped
@Startup
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** One signing key with its certificate. */
    public record SigningKey(String kid, KeyPair keyPair, X509Certificate certificate, Instant createdAt,
            Optional<Instant> retiredAt) {
    }

    private final AttestationConfig config;
    private final DataSource db;
    private final MasterKey master;
    private final Clock clock;
    private volatile List<SigningKey> published = List.of();

    SigningKeys(AttestationConfig config, DataSource db, MasterKey master, Clock clock) {
        this.config = config;
        this.db = db;
        this.master = master;
        this.clock = clock;
        if (config.signingKeys().retention().compareTo(config.tokenLifetime()) <= 0) {
            throw new IllegalStateException("parma.attestation.signing-keys.retention ("
                    + config.signingKeys().retention() + ") must exceed the token lifetime (" + config.tokenLifetime()
                    + "), or tokens signed just before a rotation would stop verifying");
        }
        load();
        if (published.isEmpty() || current().retiredAt().isPresent()) {
            rotate();
        }
    }

    /** The key that signs new tokens. */
    public SigningKey current() {
        return published.get(0);
    }

    /** Every key whose tokens still verify: the current one first, then retired ones within retention. */
    public List<SigningKey> published() {
        return published;
    }

    public Optional<SigningKey> byKid(String kid) {
        return published.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /** Creates a new current key and retires the previous one (it stays published for the retention period). */
    public synchronized SigningKey rotate() {
        Instant now = clock.instant();
        SigningKey fresh = generate(config.issuer(), config.signingKeys().bits(), now);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (var retire = c.prepareStatement("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL");
                    var insert = c.prepareStatement(
                            "INSERT INTO signing_keys (kid, created_at, certificate, private_key) VALUES (?, ?, ?, ?)")) {
                retire.setTimestamp(1, Timestamp.from(now));
                retire.executeUpdate();
                insert.setString(1, fresh.kid());
                insert.setTimestamp(2, Timestamp.from(now));
                insert.setBytes(3, fresh.certificate().getEncoded());
                insert.setBytes(4, master.seal(fresh.keyPair().getPrivate().getEncoded(), context(fresh.kid())));
                insert.executeUpdate();
                c.commit();
            } catch (SQLException | GeneralSecurityException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot store a new signing key", e);
        }
        LOG.infof("token signing key rotated: new kid %s", fresh.kid());
        load();
        return current();
    }

    /** Rotates when the current key is older than the rotation interval; refreshes keys other replicas created. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void maintain() {
        load();
        if (current().createdAt().plus(config.signingKeys().rotationInterval()).isBefore(clock.instant())) {
            rotate();
        }
    }

    /** The JWKS document ({@code /certs}). */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (SigningKey k : published) {
            keys.add(jwk(k));
        }
        return Map.of("keys", keys);
    }

    private static Map<String, Object> jwk(SigningKey k) {
        var key = (RSAPublicKey) k.keyPair().getPublic();
        var b64url = Base64.getUrlEncoder().withoutPadding();
        var jwk = new LinkedHashMap<String, Object>();
        jwk.put("kid", k.kid());
        jwk.put("kty", "RSA");
        jwk.put("alg", "RS256");
        jwk.put("use", "sig");
        jwk.put("n", b64url.encodeToString(unsigned(key.getModulus())));
        jwk.put("e", b64url.encodeToString(unsigned(key.getPublicExponent())));
        try {
            jwk.put("x5c", List.of(Base64.getEncoder().encodeToString(k.certificate().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return jwk;
    }

    private synchronized void load() {
        Instant horizon = clock.instant().minus(config.signingKeys().retention());
        List<SigningKey> keys = new ArrayList<>();
        try (Connection c = db.getConnection();
                var q = c.prepareStatement("SELECT kid, created_at, retired_at, certificate, private_key"
                        + " FROM signing_keys WHERE retired_at IS NULL OR retired_at > ?"
                        + " ORDER BY retired_at DESC NULLS FIRST, created_at DESC")) {
            q.setTimestamp(1, Timestamp.from(horizon));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    keys.add(read(rs));
                }
            }
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load signing keys", e);
        }
        published = List.copyOf(keys);
    }

    private SigningKey read(ResultSet rs) throws SQLException, GeneralSecurityException {
        String kid = rs.getString("kid");
        var cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(rs.getBytes("certificate")));
        PrivateKey priv = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(master.open(rs
                .getBytes("private_key"), context(kid))));
        Timestamp retired = rs.getTimestamp("retired_at");
        return new SigningKey(kid, new KeyPair(cert.getPublicKey(), priv), cert, rs.getTimestamp("created_at")
                .toInstant(), Optional.ofNullable(retired).map(Timestamp::toInstant));
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }

    private SigningKey generate(String issuer, int bits, Instant now) {
        try {
            var gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(bits);
            var pair = gen.generateKeyPair();
            var name = new X500Name("CN=" + issuer.replace(",", "\\,"));
            Instant notAfter = now.plus(config.signingKeys().rotationInterval()).plus(config.signingKeys()
                    .retention()).plus(config.tokenLifetime());
            var holder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()), Date.from(now
                    .minusSeconds(300)), Date.from(notAfter), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
            var cert = new JcaX509CertificateConverter().getCertificate(holder);
            String kid = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(cert
                    .getEncoded()));
            return new SigningKey(kid, pair, cert, now, Optional.empty());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a token signing key", e);
        }
    }

    /** JWK integers are unsigned big-endian: drop the sign byte BigInteger adds. */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
