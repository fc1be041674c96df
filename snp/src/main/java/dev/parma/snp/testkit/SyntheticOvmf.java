package dev.parma.snp.testkit;

import dev.parma.snp.measure.MetadataSection;
import dev.parma.snp.measure.OvmfImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Builds OVMF-shaped firmware images (pseudo-random body, SEV metadata, SEV-ES reset block, hashes-table GPA in the
 * GUIDed footer table) so launch measurement can be exercised without shipping firmware. Debian's OVMF has no
 * SNP_KERNEL_HASHES section, and AmdSev builds are not packaged, hence synthetic images.
 */
public final class SyntheticOvmf {
    static final UUID FOOTER = UUID.fromString("96b582de-1fb2-45f7-baea-a366c55a082d");
    static final UUID SEV_METADATA = UUID.fromString("dc886566-984a-4798-a75e-5585a7bf67cc");
    static final UUID RESET_BLOCK = UUID.fromString("00f771de-1a7e-4fcb-890e-68c77e2fb44e");
    static final UUID HASH_TABLE = UUID.fromString("7255371f-3a3b-4b04-927b-1da6efa8d454");

    /** The section layout of sev-snp-measure's AmdSev fixture (and the launch-digest vectors). */
    public static final List<MetadataSection> AMDSEV_SECTIONS = List.of(
            new MetadataSection(0x800000, 0x9000, MetadataSection.Type.SNP_SEC_MEM),
            new MetadataSection(0x80a000, 0x3000, MetadataSection.Type.SNP_SEC_MEM),
            new MetadataSection(0x80d000, 0x1000, MetadataSection.Type.SNP_SECRETS),
            new MetadataSection(0x80e000, 0x1000, MetadataSection.Type.CPUID),
            new MetadataSection(0x80f000, 0x1000, MetadataSection.Type.SVSM_CAA),
            new MetadataSection(0x810000, 0x1000, MetadataSection.Type.SNP_KERNEL_HASHES),
            new MetadataSection(0x811000, 0xf000, MetadataSection.Type.SNP_SEC_MEM));
    public static final long AMDSEV_RESET_EIP = 0x80b004L;
    public static final long AMDSEV_HASH_TABLE_GPA = 0x810c00L;

    private SyntheticOvmf() {
    }

    /** An image of {@code size} bytes (multiple of 4 KiB, at least 8 KiB) with AmdSev-like metadata. */
    public static OvmfImage amdSevLike(int size, long seed) {
        return OvmfImage.parse(build(size, seed, AMDSEV_SECTIONS, AMDSEV_RESET_EIP, AMDSEV_HASH_TABLE_GPA));
    }

    /** Raw image bytes with the given metadata; a {@code hashTableGpa} of 0 leaves the hashes-table entry out. */
    public static byte[] build(int size, long seed, List<MetadataSection> sections, long resetEip,
            long hashTableGpa) {
        if (size < 8192 || size % 4096 != 0) {
            throw new IllegalArgumentException("image size must be a multiple of 4 KiB and at least 8 KiB");
        }
        byte[] img = new byte[size];
        new Random(seed).nextBytes(img);
        // "ASEV" header + items in the second-to-last page
        int asev = size - 4096 - 16 - 12 * sections.size();
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        b.position(asev);
        b.put((byte) 'A').put((byte) 'S').put((byte) 'E').put((byte) 'V');
        b.putInt(16 + 12 * sections.size()).putInt(1).putInt(sections.size());
        for (MetadataSection s : sections) {
            b.putInt((int) s.gpa()).putInt((int) s.size()).putInt(s.type().code());
        }
        // footer table: entries (data || u16 size || GUID), then the footer entry, ending 32 bytes before the end
        byte[][] entries = hashTableGpa == 0
                ? new byte[][]{entry(le32(size - asev), SEV_METADATA), entry(le32(resetEip), RESET_BLOCK)}
                : new byte[][]{
                        entry(le32(size - asev), SEV_METADATA),
                        entry(le32(resetEip), RESET_BLOCK),
                        entry(concat(le32(hashTableGpa), le32(0x400)), HASH_TABLE)};
        int total = 18;
        for (byte[] e : entries) {
            total += e.length;
        }
        int footerStart = size - 32 - 18;
        int pos = footerStart - (total - 18);
        for (byte[] e : entries) {
            System.arraycopy(e, 0, img, pos, e.length);
            pos += e.length;
        }
        img[footerStart] = (byte) total;
        img[footerStart + 1] = (byte) (total >>> 8);
        System.arraycopy(bytesLe(FOOTER), 0, img, footerStart + 2, 16);
        return img;
    }

    private static byte[] entry(byte[] data, UUID guid) {
        byte[] e = new byte[data.length + 18];
        System.arraycopy(data, 0, e, 0, data.length);
        e[data.length] = (byte) e.length;
        e[data.length + 1] = (byte) (e.length >>> 8);
        System.arraycopy(bytesLe(guid), 0, e, data.length + 2, 16);
        return e;
    }

    private static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    static byte[] bytesLe(UUID u) {
        ByteBuffer b = ByteBuffer.allocate(16);
        long msb = u.getMostSignificantBits();
        b.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (msb >>> 32)).putShort((short) (msb >>> 16)).putShort(
                (short) msb);
        b.order(ByteOrder.BIG_ENDIAN).putLong(u.getLeastSignificantBits());
        return b.array();
    }
}
