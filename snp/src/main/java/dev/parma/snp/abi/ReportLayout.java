package dev.parma.snp.abi;

/**
 * Offsets and sizes of ATTESTATION_REPORT fields (AMD 56860, Table 23 "ATTESTATION_REPORT Structure"), as
 * implemented by go-sev-guest abi/abi.go and virtee/sev. All integers are little-endian.
 */
public final class ReportLayout {
    private ReportLayout() {
    }

    public static final int REPORT_SIZE = 0x4A0;
    /** The signature covers bytes 0x000..0x29F. */
    public static final int SIGNED_SIZE = 0x2A0;

    public static final int VERSION = 0x000;
    public static final int GUEST_SVN = 0x004;
    public static final int POLICY = 0x008;
    public static final int FAMILY_ID = 0x010;
    public static final int IMAGE_ID = 0x020;
    public static final int VMPL = 0x030;
    public static final int SIGNATURE_ALGO = 0x034;
    public static final int CURRENT_TCB = 0x038;
    public static final int PLATFORM_INFO = 0x040;
    public static final int SIGNER_INFO = 0x048;
    public static final int RESERVED_04C = 0x04C;
    public static final int REPORT_DATA = 0x050;
    public static final int MEASUREMENT = 0x090;
    public static final int HOST_DATA = 0x0C0;
    public static final int ID_KEY_DIGEST = 0x0E0;
    public static final int AUTHOR_KEY_DIGEST = 0x110;
    public static final int REPORT_ID = 0x140;
    public static final int REPORT_ID_MA = 0x160;
    public static final int REPORTED_TCB = 0x180;
    public static final int CPUID_FAM_ID = 0x188;
    public static final int CPUID_MOD_ID = 0x189;
    public static final int CPUID_STEP = 0x18A;
    public static final int RESERVED_18B = 0x18B;
    public static final int CHIP_ID = 0x1A0;
    public static final int COMMITTED_TCB = 0x1E0;
    public static final int CURRENT_BUILD = 0x1E8;
    public static final int RESERVED_1EB = 0x1EB;
    public static final int COMMITTED_BUILD = 0x1EC;
    public static final int RESERVED_1EF = 0x1EF;
    public static final int LAUNCH_TCB = 0x1F0;
    public static final int LAUNCH_MIT_VECTOR = 0x1F8;
    public static final int CURRENT_MIT_VECTOR = 0x200;
    public static final int RESERVED_208 = 0x208;
    public static final int SIGNATURE = 0x2A0;
    public static final int SIGNATURE_R = 0x2A0;
    public static final int SIGNATURE_S = 0x2E8;
    public static final int SIGNATURE_RESERVED = 0x330;

    public static final int FAMILY_ID_SIZE = 16;
    public static final int IMAGE_ID_SIZE = 16;
    public static final int REPORT_DATA_SIZE = 64;
    public static final int MEASUREMENT_SIZE = 48;
    public static final int HOST_DATA_SIZE = 32;
    public static final int KEY_DIGEST_SIZE = 48;
    public static final int REPORT_ID_SIZE = 32;
    public static final int CHIP_ID_SIZE = 64;
    /** R and S are each stored as 72-byte little-endian integers. */
    public static final int SIGNATURE_COMPONENT_SIZE = 72;

    /** Oldest report version seen in the field (early Milan firmware, anchor maa-docs-milan-v1). */
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 5;
    /** Versions from which CPUID_FAM_ID/MOD_ID/STEP exist. */
    public static final int CPUID_SINCE_VERSION = 3;
    /** Versions from which LAUNCH_MIT_VECTOR/CURRENT_MIT_VECTOR exist. */
    public static final int MIT_VECTOR_SINCE_VERSION = 5;

    /** SIGNATURE_ALGO value for ECDSA P-384 with SHA-384, the only algorithm defined. */
    public static final int SIG_ALGO_ECDSA_P384_SHA384 = 1;
}
