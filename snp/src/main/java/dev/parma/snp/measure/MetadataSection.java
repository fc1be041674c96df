package dev.parma.snp.measure;

/** One OVMF SEV metadata section ({u32 gpa, u32 size, u32 type} after the "ASEV" header). */
public record MetadataSection(long gpa, long size, Type type) {

    /** OVMF SEV metadata section types. */
    public enum Type {
        SNP_SEC_MEM(1), SNP_SECRETS(2), CPUID(3), SVSM_CAA(4), SNP_KERNEL_HASHES(0x10);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type fromCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown OVMF SEV metadata section type 0x" + Integer.toHexString(
                    code));
        }
    }

    public MetadataSection {
        if (type == null) {
            throw new IllegalArgumentException("metadata section type is required");
        }
        if ((gpa & 0xFFF) != 0 || size <= 0 || (size & 0xFFF) != 0) {
            throw new IllegalArgumentException(String.format("%s section gpa 0x%x size 0x%x must be page aligned",
                    type, gpa, size));
        }
    }
}
