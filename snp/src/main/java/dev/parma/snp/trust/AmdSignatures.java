package dev.parma.snp.trust;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;

/**
 * AMD signs every certificate in the chain with RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48, trailer 1. Anything
 * else in an AMD-shaped chain is a substitution.
 */
public final class AmdSignatures {
    public static final int PSS_SALT_LENGTH = 48;

    private AmdSignatures() {
    }

    /** Returns null when the certificate's signature algorithm is AMD's, else a reason naming what differs. */
    public static String checkPss(X509Certificate cert) {
        if (!PKCSObjectIdentifiers.id_RSASSA_PSS.getId().equals(cert.getSigAlgOID())) {
            return "signature algorithm is " + cert.getSigAlgName() + ", want RSASSA-PSS";
        }
        try {
            RSASSAPSSparams p = RSASSAPSSparams.getInstance(ASN1Primitive.fromByteArray(cert.getSigAlgParams()));
            if (!NISTObjectIdentifiers.id_sha384.equals(p.getHashAlgorithm().getAlgorithm())) {
                return "PSS hash is " + p.getHashAlgorithm().getAlgorithm() + ", want SHA-384";
            }
            if (!PKCSObjectIdentifiers.id_mgf1.equals(p.getMaskGenAlgorithm().getAlgorithm())) {
                return "PSS mask generation is " + p.getMaskGenAlgorithm().getAlgorithm() + ", want MGF1";
            }
            if (p.getSaltLength().intValueExact() != PSS_SALT_LENGTH) {
                return "PSS salt length is " + p.getSaltLength() + ", want " + PSS_SALT_LENGTH;
            }
            if (p.getTrailerField().intValueExact() != 1) {
                return "PSS trailer field is " + p.getTrailerField() + ", want 1";
            }
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            return "PSS parameters are malformed: " + e.getMessage();
        }
    }
}
