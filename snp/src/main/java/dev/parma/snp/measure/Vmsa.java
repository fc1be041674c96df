package dev.parma.snp.measure;

/**
 * The initial VMSA page QEMU gives each vCPU (sev-snp-measure vmsa.py, VMM type QEMU). Offsets are those of the
 * 4096-byte save area; everything not set here is zero.
 */
public final class Vmsa {
    /** Reset vector of the boot processor. */
    public static final long BSP_EIP = 0xFFFFFFF0L;

    static final int ES = 0x00;
    static final int CS = 0x10;
    static final int SS = 0x20;
    static final int DS = 0x30;
    static final int FS = 0x40;
    static final int GS = 0x50;
    static final int GDTR = 0x60;
    static final int LDTR = 0x70;
    static final int IDTR = 0x80;
    static final int TR = 0x90;
    static final int EFER = 0xD0;
    static final int CR4 = 0x148;
    static final int CR0 = 0x158;
    static final int DR7 = 0x160;
    static final int DR6 = 0x168;
    static final int RFLAGS = 0x170;
    static final int RIP = 0x178;
    static final int G_PAT = 0x268;
    static final int RDX = 0x310;
    static final int SEV_FEATURES = 0x3B0;
    static final int XCR0 = 0x3E8;
    static final int MXCSR = 0x408;
    static final int X87_FCW = 0x410;

    private Vmsa() {
    }

    /**
     * @param eip reset EIP: {@link #BSP_EIP} for vCPU 0, the OVMF SEV-ES reset block's EIP for the others
     * @param vcpuSignature CPUID(1).EAX of the vCPU model (0x800f12 EPYC-v4, 0xa00f11 EPYC-Milan), placed in RDX
     * @param guestFeatures SEV_FEATURES (0x1 SNPActive; 0x21 adds DebugSwap, Linux 6.6+ hosts)
     */
    public static byte[] qemu(long eip, long vcpuSignature, long guestFeatures) {
        byte[] p = new byte[LaunchDigest.PAGE_SIZE];
        for (int seg : new int[]{ES, SS, DS, FS, GS}) {
            segment(p, seg, 0, 0x93, 0xFFFF, 0);
        }
        segment(p, CS, 0xF000, 0x9B, 0xFFFF, eip & 0xFFFF0000L);
        segment(p, GDTR, 0, 0, 0xFFFF, 0);
        segment(p, LDTR, 0, 0x82, 0xFFFF, 0);
        segment(p, IDTR, 0, 0, 0xFFFF, 0);
        segment(p, TR, 0, 0x8B, 0xFFFF, 0);
        put64(p, EFER, 0x1000);
        put64(p, CR4, 0x40);
        put64(p, CR0, 0x10);
        put64(p, DR7, 0x400);
        put64(p, DR6, 0xFFFF0FF0L);
        put64(p, RFLAGS, 0x2);
        put64(p, RIP, eip & 0xFFFF);
        put64(p, G_PAT, 0x0007040600070406L);
        put64(p, RDX, vcpuSignature);
        put64(p, SEV_FEATURES, guestFeatures);
        put64(p, XCR0, 0x1);
        put64(p, MXCSR, 0x1F80);
        put64(p, X87_FCW, 0x37F);
        return p;
    }

    /** Segment register: u16 selector, u16 attrib, u32 limit, u64 base. */
    private static void segment(byte[] p, int off, int selector, int attrib, int limit, long base) {
        p[off] = (byte) selector;
        p[off + 1] = (byte) (selector >>> 8);
        p[off + 2] = (byte) attrib;
        p[off + 3] = (byte) (attrib >>> 8);
        for (int i = 0; i < 4; i++) {
            p[off + 4 + i] = (byte) (limit >>> 8 * i);
        }
        put64(p, off + 8, base);
    }

    private static void put64(byte[] p, int off, long v) {
        for (int i = 0; i < 8; i++) {
            p[off + i] = (byte) (v >>> 8 * i);
        }
    }
}
