package dev.parma.snp.measure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * QEMU's SEV hashes table for measured direct boot (sev-snp-measure sev_hashes.py; must match QEMU byte for byte):
 * header GUID, u16 length 168, then cmdline, initrd and kernel entries of {GUID, u16 50, SHA-256}, zero-padded to
 * 176 bytes. The command line is hashed with its trailing NUL; a missing initrd hashes as the empty string.
 */
public record SevHashes(byte[] kernelSha256, byte[] initrdSha256, byte[] cmdlineSha256) {
    public static final int TABLE_LENGTH = 168;
    public static final int PADDED_LENGTH = 176;
    static final int ENTRY_LENGTH = 50;

    public SevHashes {
        for (byte[] h : new byte[][]{kernelSha256, initrdSha256, cmdlineSha256}) {
            if (h == null || h.length != 32) {
                throw new IllegalArgumentException("SEV hashes entries must be SHA-256 digests (32 bytes)");
            }
        }
        kernelSha256 = kernelSha256.clone();
        initrdSha256 = initrdSha256.clone();
        cmdlineSha256 = cmdlineSha256.clone();
    }

    /** Hashes of the given kernel, initrd (null = none) and command line (without NUL; null = empty). */
    public static SevHashes of(byte[] kernel, byte[] initrd, String cmdline) {
        byte[] cmd = (cmdline == null ? "" : cmdline).getBytes(StandardCharsets.UTF_8);
        byte[] withNul = Arrays.copyOf(cmd, cmd.length + 1);
        return new SevHashes(sha256(kernel), sha256(initrd == null ? new byte[0] : initrd), sha256(withNul));
    }

    /** The 176-byte padded table. */
    public byte[] table() {
        byte[] t = new byte[PADDED_LENGTH];
        System.arraycopy(Guids.bytesLe(Guids.SEV_HASH_TABLE_HEADER), 0, t, 0, 16);
        putU16(t, 16, TABLE_LENGTH);
        int off = 18;
        off = entry(t, off, Guids.SEV_CMDLINE_ENTRY, cmdlineSha256);
        off = entry(t, off, Guids.SEV_INITRD_ENTRY, initrdSha256);
        entry(t, off, Guids.SEV_KERNEL_ENTRY, kernelSha256);
        return t;
    }

    /** A 4 KiB page holding the table at {@code offsetInPage} (the hash table GPA's page offset), rest zero. */
    public byte[] page(int offsetInPage) {
        if (offsetInPage < 0 || offsetInPage + PADDED_LENGTH > LaunchDigest.PAGE_SIZE) {
            throw new IllegalArgumentException("SEV hashes table at page offset 0x" + Integer.toHexString(
                    offsetInPage) + " does not fit in the page");
        }
        byte[] page = new byte[LaunchDigest.PAGE_SIZE];
        System.arraycopy(table(), 0, page, offsetInPage, PADDED_LENGTH);
        return page;
    }

    private static int entry(byte[] t, int off, UUID guid, byte[] hash) {
        System.arraycopy(Guids.bytesLe(guid), 0, t, off, 16);
        putU16(t, off + 16, ENTRY_LENGTH);
        System.arraycopy(hash, 0, t, off + 18, 32);
        return off + ENTRY_LENGTH;
    }

    private static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
