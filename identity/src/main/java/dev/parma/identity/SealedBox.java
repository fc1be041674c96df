package dev.parma.identity;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.Map;
import java.util.Objects;

/**
 * Secrets sealed to one recipient: a compact JWE (RFC 7516) with ECDH-ES key agreement to the recipient's sealing
 * certificate and AES-256-GCM. {@code bound} values (e.g. the group and generation a command is for) travel in the
 * protected header, which is the cipher's associated data: a sealed box cannot be moved to another command, and only
 * the holder of the sealing key can open it. What a secure environment value looks like on Kafka and on disk.
 */
public final class SealedBox {

    private SealedBox() {
    }

    public static String seal(byte[] plaintext, X509Certificate recipient, Map<String, String> bound) {
        if (!(recipient.getPublicKey() instanceof ECPublicKey key)) {
            throw new IllegalArgumentException("the recipient's sealing key is not an EC key");
        }
        var header = new JWEHeader.Builder(JWEAlgorithm.ECDH_ES, EncryptionMethod.A256GCM)
                .customParams(Map.copyOf(bound)).build();
        var jwe = new JWEObject(header, new Payload(plaintext));
        try {
            jwe.encrypt(new ECDHEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal: " + e.getMessage(), e);
        }
        return jwe.serialize();
    }

    /**
     * Opens a box sealed to {@code key}, checking that it was bound to exactly {@code bound}; throws
     * {@link UntrustedIdentityException} for a box that is malformed, tampered, for another recipient or another
     * binding.
     */
    public static byte[] open(String sealed, PrivateKey key, Map<String, String> bound) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("the sealing key is not an EC key");
        }
        try {
            var jwe = JWEObject.parse(sealed);
            var header = jwe.getHeader();
            if (!JWEAlgorithm.ECDH_ES.equals(header.getAlgorithm())
                    || !EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())) {
                throw new UntrustedIdentityException("sealed box uses an unexpected algorithm");
            }
            for (var e : bound.entrySet()) {
                if (!Objects.equals(e.getValue(), header.getCustomParam(e.getKey()))) {
                    throw new UntrustedIdentityException("sealed box is bound to another " + e.getKey());
                }
            }
            jwe.decrypt(new ECDHDecrypter(ec));
            return jwe.getPayload().toBytes();
        } catch (ParseException | JOSEException e) {
            throw new UntrustedIdentityException("cannot open sealed box: " + e.getMessage());
        }
    }
}
