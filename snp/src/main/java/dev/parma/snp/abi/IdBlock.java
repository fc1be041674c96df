package dev.parma.snp.abi;

import java.util.Arrays;

/**
 * ID_BLOCK (96 bytes) given to SNP_LAUNCH_FINISH: LD (expected MEASUREMENT) 48, FAMILY_ID 16, IMAGE_ID 16,
 * VERSION u32 = 1, GUEST_SVN u32, POLICY u64. The PSP copies FAMILY_ID, IMAGE_ID and GUEST_SVN into reports.
 */
public record IdBlock(byte[] ld, byte[] familyId, byte[] imageId, int guestSvn, GuestPolicy policy) {
    public static final int SIZE = 96;
    public static final int VERSION = 1;

    public IdBlock {
        if (ld == null || ld.length != ReportLayout.MEASUREMENT_SIZE) {
            throw new AbiException("ID_BLOCK.LD", "must be 48 bytes");
        }
        if (familyId == null || familyId.length != ReportLayout.FAMILY_ID_SIZE) {
            throw new AbiException("ID_BLOCK.FAMILY_ID", "must be 16 bytes");
        }
        if (imageId == null || imageId.length != ReportLayout.IMAGE_ID_SIZE) {
            throw new AbiException("ID_BLOCK.IMAGE_ID", "must be 16 bytes");
        }
        if (policy == null) {
            throw new AbiException("ID_BLOCK.POLICY", "must not be null");
        }
        ld = ld.clone();
        familyId = familyId.clone();
        imageId = imageId.clone();
    }

    @Override
    public byte[] ld() {
        return ld.clone();
    }

    @Override
    public byte[] familyId() {
        return familyId.clone();
    }

    @Override
    public byte[] imageId() {
        return imageId.clone();
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        System.arraycopy(ld, 0, b, 0, 48);
        System.arraycopy(familyId, 0, b, 0x30, 16);
        System.arraycopy(imageId, 0, b, 0x40, 16);
        Le.put32(b, 0x50, VERSION);
        Le.put32(b, 0x54, guestSvn);
        Le.put64(b, 0x58, policy.toLong());
        return b;
    }

    public static IdBlock parse(byte[] b) {
        if (b.length != SIZE) {
            throw new AbiException("ID_BLOCK", "size is " + b.length + ", want " + SIZE);
        }
        if (Le.u32(b, 0x50) != VERSION) {
            throw new AbiException("ID_BLOCK.VERSION", "is " + Le.u32(b, 0x50) + ", want 1");
        }
        return new IdBlock(Arrays.copyOfRange(b, 0, 48), Arrays.copyOfRange(b, 0x30, 0x40), Arrays.copyOfRange(b,
                0x40, 0x50), Le.u32(b, 0x54), GuestPolicy.parse(Le.u64(b, 0x58)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdBlock other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "IdBlock[guestSvn=" + guestSvn + ", policy=" + policy + "]";
    }
}
