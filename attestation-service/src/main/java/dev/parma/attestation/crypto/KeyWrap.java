package dev.parma.attestation.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Azure Key Vault's RSA_AES_KEY_WRAP_256 (reference §5; confidential-sidecar-containers keywrap.go): RSA-OAEP with
 * SHA-256 (and MGF1-SHA-256) over a fresh AES-256 key, followed by the key material wrapped with that AES key by AES Key
 * Wrap with Padding (RFC 5649). The ciphertext is exactly modulus-size bytes of OAEP then the RFC 5649 output.
 */
public final class KeyWrap {
    /** AKV's name for this scheme. */
    public static final String ENC = "RSA_AES_KEY_WRAP_256";
    /** The name the sidecar's key_hsm header uses. */
    public static final String HSM_ENC = "CKM_RSA_AES_KEY_WRAP";

    private static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyWrap() {
    }

    public static byte[] wrap(RSAPublicKey to, byte[] keyMaterial) {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256, RANDOM);
            SecretKey aes = g.generateKey();
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.ENCRYPT_MODE, to, OAEP_SHA256, RANDOM);
            byte[] wrappedAes = rsa.doFinal(aes.getEncoded());
            Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
            kwp.init(Cipher.ENCRYPT_MODE, aes);
            byte[] wrappedKey = kwp.doFinal(keyMaterial);
            return ByteBuffer.allocate(wrappedAes.length + wrappedKey.length).put(wrappedAes).put(wrappedKey).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP-256 + RFC 5649 wrap failed", e);
        }
    }
}
