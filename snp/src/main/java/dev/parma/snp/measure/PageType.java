package dev.parma.snp.measure;

/** PAGE_TYPE of SNP_LAUNCH_UPDATE (AMD 56860, Table 67 context). */
public enum PageType {
    NORMAL(1), VMSA(2), ZERO(3), UNMEASURED(4), SECRETS(5), CPUID(6);

    private final int code;

    PageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** NORMAL and VMSA pages are measured by content; the others contribute 48 zero bytes as CONTENTS. */
    public boolean measuresContents() {
        return this == NORMAL || this == VMSA;
    }
}
