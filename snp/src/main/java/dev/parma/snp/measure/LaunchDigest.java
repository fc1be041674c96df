package dev.parma.snp.measure;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA384Digest;

/**
 * The SNP launch digest (MEASUREMENT): starts at 48 zero bytes (or a stored seed such as an OVMF hash) and folds in
 * one PAGE_INFO per 4 KiB page with DIGEST_NEW = SHA-384(PAGE_INFO). Not thread-safe; one instance per launch.
 */
public final class LaunchDigest {
    public static final int PAGE_SIZE = 4096;
    /** VMSA pages are measured at GPA -1 page-aligned with bits above 51 cleared. */
    public static final long VMSA_GPA = 0x0000FFFFFFFFF000L;

    private final SHA384Digest sha = new SHA384Digest();
    private final byte[] pageInfo = new byte[PageInfo.SIZE];
    private final byte[] contents = new byte[PageInfo.DIGEST_SIZE];
    private byte[] digest;

    public LaunchDigest() {
        this(new byte[PageInfo.DIGEST_SIZE]);
    }

    /** Continues from a previously computed digest (e.g. the OVMF-only hash). */
    public LaunchDigest(byte[] seed) {
        if (seed == null || seed.length != PageInfo.DIGEST_SIZE) {
            throw new IllegalArgumentException("launch digest seed must be 48 bytes");
        }
        this.digest = seed.clone();
    }

    /** Folds one page. {@code page} is required (4096 bytes) for NORMAL and VMSA and ignored otherwise. */
    public LaunchDigest update(PageType type, long gpa, byte[] page) {
        return update(type, gpa, page, 0);
    }

    /** Folds one page read from {@code buf} at {@code offset}. */
    public LaunchDigest update(PageType type, long gpa, byte[] buf, int offset) {
        if ((gpa & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException(String.format("GPA 0x%x is not page aligned", gpa));
        }
        byte[] c = null;
        if (type.measuresContents()) {
            if (buf == null || buf.length - offset < PAGE_SIZE) {
                throw new IllegalArgumentException(type + " page at GPA 0x" + Long.toHexString(gpa)
                        + " needs 4096 bytes of contents");
            }
            sha.update(buf, offset, PAGE_SIZE);
            sha.doFinal(contents, 0);
            c = contents;
        }
        PageInfo.encode(pageInfo, digest, c, type, gpa);
        sha.update(pageInfo, 0, PageInfo.SIZE);
        sha.doFinal(digest, 0);
        return this;
    }

    /** Folds {@code data} as consecutive NORMAL pages from {@code gpa}; its length must be a multiple of 4 KiB. */
    public LaunchDigest updateNormal(long gpa, byte[] data) {
        if (data.length % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("data length " + data.length + " is not a multiple of 4096");
        }
        for (int off = 0; off < data.length; off += PAGE_SIZE) {
            update(PageType.NORMAL, gpa + off, data, off);
        }
        return this;
    }

    /** Folds {@code size} bytes of content-less pages (ZERO, UNMEASURED, ...) from {@code gpa}. */
    public LaunchDigest updateRange(PageType type, long gpa, long size) {
        if (type.measuresContents()) {
            throw new IllegalArgumentException(type + " pages need contents");
        }
        for (long off = 0; off < size; off += PAGE_SIZE) {
            update(type, gpa + off, null);
        }
        return this;
    }

    /** Folds a VMSA page at {@link #VMSA_GPA}. */
    public LaunchDigest updateVmsa(byte[] vmsaPage) {
        return update(PageType.VMSA, VMSA_GPA, vmsaPage);
    }

    public byte[] digest() {
        return Arrays.copyOf(digest, digest.length);
    }
}
