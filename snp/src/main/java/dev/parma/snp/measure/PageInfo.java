package dev.parma.snp.measure;

import java.util.Arrays;

/**
 * PAGE_INFO (0x70 bytes), the structure hashed by each launch update:
 * 0x00 DIGEST_CUR (48) | 0x30 CONTENTS (48) | 0x60 LENGTH u16 = 0x70 | 0x62 PAGE_TYPE | 0x63 IMI_PAGE |
 * 0x64 VMPL3_PERMS | 0x65 VMPL2_PERMS | 0x66 VMPL1_PERMS | 0x67 reserved | 0x68 GPA u64.
 */
public final class PageInfo {
    public static final int SIZE = 0x70;
    public static final int DIGEST_SIZE = 48;
    public static final int CONTENTS = 0x30;
    public static final int LENGTH = 0x60;
    public static final int PAGE_TYPE = 0x62;
    public static final int GPA = 0x68;

    private PageInfo() {
    }

    /** Fills {@code out} (SIZE bytes) for one update; IMI_PAGE and the VMPL permissions are 0 for launch pages. */
    static void encode(byte[] out, byte[] digestCur, byte[] contents, PageType type, long gpa) {
        System.arraycopy(digestCur, 0, out, 0, DIGEST_SIZE);
        if (contents == null) {
            Arrays.fill(out, CONTENTS, CONTENTS + DIGEST_SIZE, (byte) 0);
        } else {
            System.arraycopy(contents, 0, out, CONTENTS, DIGEST_SIZE);
        }
        out[LENGTH] = (byte) SIZE;
        out[LENGTH + 1] = 0;
        out[PAGE_TYPE] = (byte) type.code();
        for (int i = PAGE_TYPE + 1; i < GPA; i++) {
            out[i] = 0;
        }
        for (int i = 0; i < 8; i++) {
            out[GPA + i] = (byte) (gpa >>> 8 * i);
        }
    }
}
