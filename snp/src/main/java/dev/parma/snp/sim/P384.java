package dev.parma.snp.sim;

import dev.parma.snp.abi.ReportSignature;
import dev.parma.snp.verify.EcdsaP384;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/** P-384 key helpers for the simulated secure processor (BouncyCastle lightweight API). */
public final class P384 {
    private P384() {
    }

    /** A private scalar in [1, n-1] from arbitrary bytes (used to derive VCEKs from a chip secret). */
    public static ECPrivateKeyParameters privateKeyFrom(byte[] seed) {
        BigInteger n = EcdsaP384.DOMAIN.getN();
        BigInteger d = new BigInteger(1, seed).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        return new ECPrivateKeyParameters(d, EcdsaP384.DOMAIN);
    }

    public static ECPrivateKeyParameters generate(SecureRandom random) {
        byte[] seed = new byte[64];
        random.nextBytes(seed);
        return privateKeyFrom(seed);
    }

    public static ECPublicKeyParameters publicKey(ECPrivateKeyParameters priv) {
        return new ECPublicKeyParameters(EcdsaP384.DOMAIN.getG().multiply(priv.getD()).normalize(),
                EcdsaP384.DOMAIN);
    }

    /** The JCA form (named curve secp384r1), for certificates. */
    public static PublicKey jcaPublicKey(ECPublicKeyParameters pub) {
        try {
            SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(
                    X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp384r1), pub.getQ().getEncoded(false));
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode P-384 key", e);
        }
    }

    /** ECDSA over a SHA-384 digest, returned in the report's R/S form. */
    public static ReportSignature sign(ECPrivateKeyParameters key, byte[] digest, SecureRandom random) {
        ECDSASigner s = new ECDSASigner();
        s.init(true, new ParametersWithRandom(key, random));
        BigInteger[] rs = s.generateSignature(digest);
        return new ReportSignature(rs[0], rs[1]);
    }
}
