package dev.parma.snp.abi;

/** Signer info (report 0x048, 4 bytes): bit0 AUTHOR_KEY_EN, bit1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY, 31:5 MBZ. */
public record SignerInfo(boolean authorKeyEn, boolean maskChipKey, SigningKey signingKey) {

    public SignerInfo {
        if (signingKey == null) {
            throw new AbiException("SIGNING_KEY", "must not be null");
        }
    }

    public static SignerInfo vcek() {
        return new SignerInfo(false, false, SigningKey.VCEK);
    }

    public static SignerInfo parse(int v) {
        if ((v & ~0x1F) != 0) {
            throw new AbiException("SIGNER_INFO", String.format("bits 31:5 are MBZ, got 0x%08x", v));
        }
        return new SignerInfo((v & 1) != 0, (v & 2) != 0, SigningKey.fromCode(v >>> 2 & 7));
    }

    public int toInt() {
        return (authorKeyEn ? 1 : 0) | (maskChipKey ? 2 : 0) | signingKey.code() << 2;
    }
}
