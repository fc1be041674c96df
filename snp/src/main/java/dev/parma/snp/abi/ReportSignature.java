package dev.parma.snp.abi;

import java.math.BigInteger;

/**
 * The report signature (0x2A0, 512 bytes): R at +0x00 and S at +0x48, each a 72-byte little-endian integer; the
 * remaining 0x170 bytes are MBZ.
 */
public record ReportSignature(BigInteger r, BigInteger s) {

    public static final ReportSignature ZERO = new ReportSignature(BigInteger.ZERO, BigInteger.ZERO);

    public ReportSignature {
        check("SIGNATURE.R", r);
        check("SIGNATURE.S", s);
    }

    private static void check(String field, BigInteger v) {
        if (v == null || v.signum() < 0 || v.bitLength() > ReportLayout.SIGNATURE_COMPONENT_SIZE * 8) {
            throw new AbiException(field, "must be a non-negative integer of at most 72 bytes, got " + v);
        }
    }

    static ReportSignature read(byte[] b, int off) {
        return new ReportSignature(readLe(b, off), readLe(b, off + ReportLayout.SIGNATURE_COMPONENT_SIZE));
    }

    void write(byte[] b, int off) {
        writeLe(r, b, off);
        writeLe(s, b, off + ReportLayout.SIGNATURE_COMPONENT_SIZE);
    }

    /** Reads a 72-byte little-endian unsigned integer. */
    public static BigInteger readLe(byte[] b, int off) {
        byte[] be = new byte[ReportLayout.SIGNATURE_COMPONENT_SIZE];
        for (int i = 0; i < be.length; i++) {
            be[i] = b[off + be.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /** Writes {@code v} as a 72-byte little-endian unsigned integer. */
    public static void writeLe(BigInteger v, byte[] b, int off) {
        byte[] be = v.toByteArray();
        int n = ReportLayout.SIGNATURE_COMPONENT_SIZE;
        for (int i = 0; i < n; i++) {
            int src = be.length - 1 - i;
            b[off + i] = src >= 0 ? be[src] : 0;
        }
    }
}
