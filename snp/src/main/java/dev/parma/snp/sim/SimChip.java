package dev.parma.snp.sim;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.abi.TcbVersion;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * One simulated AMD chip: a CHIP_ID and a secret from which a VCEK is derived per TCB, as the real secure processor
 * does, so raising the TCB gives a new VCEK and every chip has its own keys.
 */
public final class SimChip {
    private final Product product;
    private final byte[] chipId;
    private final byte[] secret;

    private SimChip(Product product, byte[] chipId, byte[] secret) {
        this.product = product;
        this.chipId = chipId;
        this.secret = secret;
    }

    /** A random chip; on Turin only the first 8 bytes of CHIP_ID are set. */
    public static SimChip random(Product product, SecureRandom random) {
        byte[] chipId = new byte[ReportLayout.CHIP_ID_SIZE];
        byte[] id = new byte[product.hwIdSize()];
        random.nextBytes(id);
        System.arraycopy(id, 0, chipId, 0, id.length);
        byte[] secret = new byte[48];
        random.nextBytes(secret);
        return new SimChip(product, chipId, secret);
    }

    /** A chip with a chosen id and secret (reproducible simulations). */
    public static SimChip of(Product product, byte[] chipId, byte[] secret) {
        if (chipId.length != ReportLayout.CHIP_ID_SIZE) {
            throw new IllegalArgumentException("CHIP_ID must be 64 bytes, got " + chipId.length);
        }
        for (int i = product.hwIdSize(); i < chipId.length; i++) {
            if (chipId[i] != 0) {
                throw new IllegalArgumentException(product + " CHIP_ID uses only " + product.hwIdSize()
                        + " bytes; byte " + i + " is non-zero");
            }
        }
        return new SimChip(product, chipId.clone(), secret.clone());
    }

    /** The chip secret, so a simulated chip can be persisted and restored with {@link #of}. */
    public byte[] secret() {
        return secret.clone();
    }

    public Product product() {
        return product;
    }

    public byte[] chipId() {
        return chipId.clone();
    }

    /** The hwID a VCEK of this chip carries (CHIP_ID truncated to the product's hwID size). */
    public byte[] hwId() {
        return Arrays.copyOf(chipId, product.hwIdSize());
    }

    /** The VCEK private key for a TCB: HKDF-SHA384(chip secret, info = "VCEK" || TCB_VERSION). */
    public ECPrivateKeyParameters vcekKey(TcbParts tcb) {
        long raw = TcbVersion.of(product, tcb).raw();
        byte[] info = new byte[12];
        info[0] = 'V';
        info[1] = 'C';
        info[2] = 'E';
        info[3] = 'K';
        for (int i = 0; i < 8; i++) {
            info[4 + i] = (byte) (raw >>> 8 * i);
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA384Digest());
        hkdf.init(new HKDFParameters(secret, chipId, info));
        byte[] okm = new byte[64];
        hkdf.generateBytes(okm, 0, okm.length);
        return P384.privateKeyFrom(okm);
    }
}
