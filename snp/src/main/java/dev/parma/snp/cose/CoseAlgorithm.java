package dev.parma.snp.cose;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;

/**
 * The COSE signature algorithms we verify (IANA COSE Algorithms): ECDSA with a fixed-length r||s signature (RFC 9053
 * §2.1) and RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 8230). Microsoft signs ACI's
 * UVM endorsements with PS384; our simulated UVM publisher uses ES384.
 */
public enum CoseAlgorithm {
    ES256(-7, "SHA-256", 32), ES384(-35, "SHA-384", 48), ES512(-36, "SHA-512", 66), PS256(-37, "SHA-256", 32), PS384(
            -38, "SHA-384", 48), PS512(-39, "SHA-512", 64);

    private final int id;
    private final String hash;
    /** The salt length for PSS; the coordinate size for ECDSA. */
    private final int size;

    CoseAlgorithm(int id, String hash, int size) {
        this.id = id;
        this.hash = hash;
        this.size = size;
    }

    public int id() {
        return id;
    }

    public static Optional<CoseAlgorithm> of(long id) {
        for (CoseAlgorithm a : values()) {
            if (a.id == id) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    boolean ecdsa() {
        return name().startsWith("ES");
    }

    /** Whether {@code key} is of this algorithm's family (an RSA key for PS*, an EC key for ES*). */
    boolean fits(PublicKey key) {
        return ecdsa() ? key instanceof ECKey : key instanceof RSAKey;
    }

    boolean verify(PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        if (!fits(key) || ecdsa() && signature.length != 2 * size) {
            return false;
        }
        Signature s = signature();
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
    }

    byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature s = signature();
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    private Signature signature() throws GeneralSecurityException {
        String h = hash.replace("-", "");
        if (ecdsa()) {
            return Signature.getInstance(h + "withECDSAinP1363Format");
        }
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), size, 1));
        return s;
    }
}
