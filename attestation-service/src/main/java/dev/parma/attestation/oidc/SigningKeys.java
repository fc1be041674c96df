package dev.parma.attestation.oidc;

import dev.parma.attestation.config.AttestationConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The token signing key, published with a self-signed certificate in x5c as MAA does. The key id is the
 * standard-base64 SHA-256 of the certificate, MAA's kid form.
 */
@ApplicationScoped
public class SigningKeys {

    /** One signing key with its certificate. */
    public record SigningKey(String kid, KeyPair keyPair, X509Certificate certificate) {
    }

    private final SigningKey current;

    SigningKeys(AttestationConfig config) {
        this.current = generate(config.issuer(), config.signingKeyBits());
    }

    public SigningKey current() {
        return current;
    }

    /** The JWKS document ({@code /certs}). */
    public Map<String, Object> jwks() {
        var key = (RSAPublicKey) current.keyPair().getPublic();
        var b64url = Base64.getUrlEncoder().withoutPadding();
        var jwk = new LinkedHashMap<String, Object>();
        jwk.put("kid", current.kid());
        jwk.put("kty", "RSA");
        jwk.put("alg", "RS256");
        jwk.put("use", "sig");
        jwk.put("n", b64url.encodeToString(unsigned(key.getModulus())));
        jwk.put("e", b64url.encodeToString(unsigned(key.getPublicExponent())));
        try {
            jwk.put("x5c", List.of(Base64.getEncoder().encodeToString(current.certificate().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("keys", List.of(jwk));
    }

    private static SigningKey generate(String issuer, int bits) {
        try {
            var gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(bits);
            var pair = gen.generateKeyPair();
            var name = new X500Name("CN=" + issuer.replace(",", "\\,"));
            var now = Instant.now();
            var holder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new java.security.SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), name,
                    pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
            var cert = new JcaX509CertificateConverter().getCertificate(holder);
            String kid = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            return new SigningKey(kid, pair, cert);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create a token signing key", e);
        }
    }

    /** JWK integers are unsigned big-endian: drop the sign byte BigInteger adds. */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
