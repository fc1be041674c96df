package dev.parma.snp.measure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An OVMF firmware image with its SEV metadata, parsed as sev-snp-measure ovmf.py does: the GUIDed footer table ends
 * 32 bytes before the end of the image, its last entry is the footer (GUID 96b582de-..., u16 total size), entries are
 * {@code data || u16 size || GUID} walked backwards.
 *
 * @param sevEsResetEip reset EIP for application processors (0 if the image has no SEV-ES reset block)
 * @param sevHashesTableGpa GPA of the kernel hashes table (0 if the footer table has no entry for it)
 */
public record OvmfImage(byte[] image, List<MetadataSection> sections, long sevEsResetEip, long sevHashesTableGpa) {
    static final int ENTRY_HEADER_SIZE = 18;
    static final int FOOTER_DISTANCE_FROM_END = 32;
    static final long FOUR_GIB = 0x1_0000_0000L;

    public OvmfImage {
        if (image == null || image.length == 0 || image.length % LaunchDigest.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("OVMF image must be a non-empty multiple of 4 KiB");
        }
        image = image.clone();
        sections = List.copyOf(sections);
    }

    @Override
    public byte[] image() {
        return image.clone();
    }

    /** The image is mapped so that it ends at 4 GiB. */
    public long gpa() {
        return FOUR_GIB - image.length;
    }

    /** The OVMF-only digest: every page as NORMAL from {@link #gpa()}, the usual seed of a launch. */
    public byte[] digest() {
        return new LaunchDigest().updateNormal(gpa(), image).digest();
    }

    public static OvmfImage parse(byte[] image) {
        Map<UUID, byte[]> table = footerTable(image);
        List<MetadataSection> sections = new ArrayList<>();
        byte[] meta = table.get(Guids.SEV_METADATA);
        if (meta != null) {
            int start = image.length - (int) u32(meta, 0);
            if (start < 0 || start + 16 > image.length || image[start] != 'A' || image[start + 1] != 'S'
                    || image[start + 2] != 'E' || image[start + 3] != 'V') {
                throw new IllegalArgumentException("OVMF SEV metadata: no 'ASEV' header at offset " + start);
            }
            long version = u32(image, start + 8);
            if (version != 1) {
                throw new IllegalArgumentException("OVMF SEV metadata version " + version + ", want 1");
            }
            long items = u32(image, start + 12);
            for (int i = 0; i < items; i++) {
                int off = start + 16 + 12 * i;
                sections.add(new MetadataSection(u32(image, off), u32(image, off + 4), MetadataSection.Type.fromCode(
                        (int) u32(image, off + 8))));
            }
        }
        byte[] reset = table.get(Guids.SEV_ES_RESET_BLOCK);
        byte[] hashes = table.get(Guids.SEV_HASH_TABLE_RV);
        return new OvmfImage(image, sections, reset == null ? 0 : u32(reset, 0), hashes == null
                ? 0
                : u32(hashes,
                        0));
    }

    static Map<UUID, byte[]> footerTable(byte[] image) {
        Map<UUID, byte[]> out = new HashMap<>();
        int footer = image.length - FOOTER_DISTANCE_FROM_END - ENTRY_HEADER_SIZE;
        if (footer < 0 || !Guids.OVMF_TABLE_FOOTER.equals(Guids.fromBytesLe(image, footer + 2))) {
            return out;
        }
        int tableSize = u16(image, footer) - ENTRY_HEADER_SIZE;
        int end = footer;
        int start = footer - tableSize;
        if (tableSize < 0 || start < 0) {
            throw new IllegalArgumentException("OVMF footer table size " + tableSize + " is invalid");
        }
        while (end - start >= ENTRY_HEADER_SIZE) {
            int header = end - ENTRY_HEADER_SIZE;
            int size = u16(image, header);
            if (size < ENTRY_HEADER_SIZE || end - size < start) {
                throw new IllegalArgumentException("OVMF footer table entry size " + size + " is invalid");
            }
            UUID guid = Guids.fromBytesLe(image, header + 2);
            out.put(guid, Arrays.copyOfRange(image, end - size, header));
            end -= size;
        }
        return out;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }
}
