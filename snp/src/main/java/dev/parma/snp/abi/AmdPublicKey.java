package dev.parma.snp.abi;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * AMD's 0x404-byte public key format used in ID/auth blocks: u32 curve (2 = P-384) at 0x0, QX at 0x4 and QY at 0x4C
 * as 72-byte little-endian integers, zero to 0x404. ID_KEY_DIGEST and AUTHOR_KEY_DIGEST are SHA-384 of these bytes.
 */
public record AmdPublicKey(BigInteger qx, BigInteger qy) {
    public static final int SIZE = 0x404;
    public static final int CURVE_P384 = 2;
    static final int QX = 0x4;
    static final int QY = 0x4C;

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        Le.put32(b, 0, CURVE_P384);
        ReportSignature.writeLe(qx, b, QX);
        ReportSignature.writeLe(qy, b, QY);
        return b;
    }

    public static AmdPublicKey parse(byte[] b) {
        if (b.length != SIZE) {
            throw new AbiException("PUBLIC_KEY", "size is " + b.length + ", want " + SIZE);
        }
        if (Le.u32(b, 0) != CURVE_P384) {
            throw new AbiException("PUBLIC_KEY.CURVE", "curve " + Le.u32(b, 0) + ", want 2 (P-384)");
        }
        for (int i = QY + ReportLayout.SIGNATURE_COMPONENT_SIZE; i < SIZE; i++) {
            if (b[i] != 0) {
                throw new AbiException("PUBLIC_KEY", String.format("reserved byte 0x%03X is non-zero", i));
            }
        }
        return new AmdPublicKey(ReportSignature.readLe(b, QX), ReportSignature.readLe(b, QY));
    }

    /** SHA-384 of the 0x404-byte form: what ID_KEY_DIGEST / AUTHOR_KEY_DIGEST hold. */
    public byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-384").digest(toBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
