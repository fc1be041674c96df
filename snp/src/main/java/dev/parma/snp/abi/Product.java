package dev.parma.snp.abi;

import java.util.Locale;

/**
 * AMD EPYC product lines that AMD's KDS serves certificates for. The product decides the TCB_VERSION layout, the
 * hwID length and the ARK/ASK pair.
 */
public enum Product {
    /** EPYC 7003 (family 0x19, models 0x00-0x0F). */
    MILAN("Milan", TcbLayout.LEGACY, 64, 0x19, 0x01),
    /** EPYC 9004 (family 0x19, models 0x10-0x1F and 0xA0-0xAF). */
    GENOA("Genoa", TcbLayout.LEGACY, 64, 0x19, 0x11),
    /** EPYC 9005 (family 0x1A, models 0x00-0x11); hwID is the first 8 bytes of CHIP_ID. */
    TURIN("Turin", TcbLayout.TURIN, 8, 0x1A, 0x02);

    private final String kdsName;
    private final TcbLayout tcbLayout;
    private final int hwIdSize;
    private final int cpuidFamily;
    private final int cpuidModel;

    Product(String kdsName, TcbLayout tcbLayout, int hwIdSize, int cpuidFamily, int cpuidModel) {
        this.kdsName = kdsName;
        this.tcbLayout = tcbLayout;
        this.hwIdSize = hwIdSize;
        this.cpuidFamily = cpuidFamily;
        this.cpuidModel = cpuidModel;
    }

    /** The name used in KDS URLs and certificate CNs ("Milan", "Genoa", "Turin"). */
    public String kdsName() {
        return kdsName;
    }

    public TcbLayout tcbLayout() {
        return tcbLayout;
    }

    /** Significant bytes of CHIP_ID that the VCEK's hwID extension carries. */
    public int hwIdSize() {
        return hwIdSize;
    }

    /** CPUID_FAM_ID a v3+ report of this product carries (the simulator's value). */
    public int cpuidFamily() {
        return cpuidFamily;
    }

    /** A representative CPUID_MOD_ID (the simulator's value). */
    public int cpuidModel() {
        return cpuidModel;
    }

    /** Product from the v3+ CPUID fields (ranges as in trustee and virtee/sev). */
    public static Product fromCpuid(int family, int model) {
        if (family == 0x19 && model <= 0x0F) {
            return MILAN;
        }
        if (family == 0x19 && (model >= 0x10 && model <= 0x1F || model >= 0xA0 && model <= 0xAF)) {
            return GENOA;
        }
        if (family == 0x1A && model <= 0x11) {
            return TURIN;
        }
        throw new AbiException("CPUID_FAM_ID/CPUID_MOD_ID",
                String.format("unknown product for family 0x%02x model 0x%02x", family, model));
    }

    /** Product from a VCEK productName extension such as "Milan-B0" or "Genoa" (stepping suffix ignored). */
    public static Product fromProductName(String productName) {
        String line = productName.split("-", 2)[0].toLowerCase(Locale.ROOT);
        for (Product p : values()) {
            if (p.kdsName.toLowerCase(Locale.ROOT).equals(line)) {
                return p;
            }
        }
        throw new AbiException("productName", "unknown product '" + productName + "'");
    }

    /** Product from its KDS name, case-insensitive ("milan" works). */
    public static Product fromKdsName(String name) {
        for (Product p : values()) {
            if (p.kdsName.equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new AbiException("product", "unknown KDS product '" + name + "'");
    }
}
