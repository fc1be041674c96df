package dev.parma.snp.sim;

import dev.parma.snp.abi.AmdPublicKey;
import dev.parma.snp.abi.IdBlock;
import dev.parma.snp.abi.ReportSignature;
import dev.parma.snp.verify.EcdsaP384;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * The part of ID_AUTH_INFO the simulator checks: the ID key (AMD 0x404 format) and its signature over the 96-byte
 * ID block. Author keys are not simulated (AUTHOR_KEY_EN stays 0).
 */
public record IdAuth(AmdPublicKey idKey, ReportSignature idBlockSignature) {

    /** Signs an ID block with an ID key, as a guest owner would. */
    public static IdAuth sign(IdBlock block, ECPrivateKeyParameters idKey, SecureRandom random) {
        ECPublicKeyParameters pub = P384.publicKey(idKey);
        AmdPublicKey amd = new AmdPublicKey(pub.getQ().getAffineXCoord().toBigInteger(), pub.getQ()
                .getAffineYCoord().toBigInteger());
        byte[] bytes = block.toBytes();
        return new IdAuth(amd, P384.sign(idKey, EcdsaP384.sha384(bytes, bytes.length), random));
    }

    boolean verifies(IdBlock block) {
        try {
            ECPublicKeyParameters pub = new ECPublicKeyParameters(EcdsaP384.DOMAIN.getCurve().createPoint(idKey.qx(),
                    idKey.qy()), EcdsaP384.DOMAIN);
            byte[] bytes = block.toBytes();
            return EcdsaP384.verifyDigest(pub, EcdsaP384.sha384(bytes, bytes.length), idBlockSignature.r(),
                    idBlockSignature.s());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
