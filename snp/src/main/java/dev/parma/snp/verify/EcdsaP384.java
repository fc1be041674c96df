package dev.parma.snp.verify;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDSA P-384/SHA-384 on BouncyCastle's lightweight API with its custom secp384r1 curve: about ten times faster than
 * the JDK's SunEC, and the public point keeps its precomputed multiples between calls, so reusing one
 * {@link ECPublicKeyParameters} per VCEK makes repeated verification cheap.
 */
public final class EcdsaP384 {
    private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp384r1");
    public static final ECDomainParameters DOMAIN = new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(),
            X9.getH(), X9.getSeed());

    private EcdsaP384() {
    }

    /** Converts a JCA P-384 public key; throws IllegalArgumentException for any other key. */
    public static ECPublicKeyParameters publicKey(PublicKey key) {
        if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new IllegalArgumentException("key is " + key.getAlgorithm() + ", want EC P-384");
        }
        byte[] point = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        return new ECPublicKeyParameters(DOMAIN.getCurve().decodePoint(point), DOMAIN);
    }

    /** SHA-384 of {@code msg[0..len)}. */
    public static byte[] sha384(byte[] msg, int len) {
        SHA384Digest d = new SHA384Digest();
        d.update(msg, 0, len);
        byte[] out = new byte[48];
        d.doFinal(out, 0);
        return out;
    }

    public static boolean verifyDigest(ECPublicKeyParameters key, byte[] digest, BigInteger r, BigInteger s) {
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(DOMAIN.getN()) >= 0 || s.compareTo(DOMAIN.getN()) >= 0) {
            return false;
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(digest, r, s);
    }
}
