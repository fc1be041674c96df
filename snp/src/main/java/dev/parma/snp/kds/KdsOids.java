package dev.parma.snp.kds;

/** AMD's VCEK/VLEK X.509 extension OIDs (AMD 57230, arc 1.3.6.1.4.1.3704.1). */
public final class KdsOids {
    private KdsOids() {
    }

    public static final String ARC = "1.3.6.1.4.1.3704.1";
    public static final String STRUCT_VERSION = ARC + ".1";
    public static final String PRODUCT_NAME = ARC + ".2";
    public static final String BL_SPL = ARC + ".3.1";
    public static final String TEE_SPL = ARC + ".3.2";
    public static final String SNP_SPL = ARC + ".3.3";
    public static final String SPL_4 = ARC + ".3.4";
    public static final String SPL_5 = ARC + ".3.5";
    public static final String SPL_6 = ARC + ".3.6";
    public static final String SPL_7 = ARC + ".3.7";
    public static final String UCODE_SPL = ARC + ".3.8";
    public static final String FMC_SPL = ARC + ".3.9";
    public static final String HW_ID = ARC + ".4";
    public static final String CSP_ID = ARC + ".5";
}
