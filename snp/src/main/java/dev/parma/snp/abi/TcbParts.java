package dev.parma.snp.abi;

/**
 * The security patch levels (SPLs) inside a TCB_VERSION. {@code fmc} exists only on Turin and is 0 elsewhere.
 * Ordering is component-wise: see {@link #atLeast(TcbParts)}.
 */
public record TcbParts(int fmc, int bootLoader, int tee, int snp, int microcode) {

    public TcbParts {
        checkSpl("FMC", fmc);
        checkSpl("BOOT_LOADER", bootLoader);
        checkSpl("TEE", tee);
        checkSpl("SNP", snp);
        checkSpl("MICROCODE", microcode);
    }

    /** Milan/Genoa parts (no FMC). */
    public static TcbParts of(int bootLoader, int tee, int snp, int microcode) {
        return new TcbParts(0, bootLoader, tee, snp, microcode);
    }

    /** True if every component is greater than or equal to the other's (AMD TCBs are compared per component). */
    public boolean atLeast(TcbParts min) {
        return fmc >= min.fmc && bootLoader >= min.bootLoader && tee >= min.tee && snp >= min.snp
                && microcode >= min.microcode;
    }

    private static void checkSpl(String name, int v) {
        if (v < 0 || v > 0xFF) {
            throw new AbiException("TCB_VERSION." + name, "SPL " + v + " does not fit in a byte");
        }
    }

    @Override
    public String toString() {
        return "TcbParts[fmc=" + fmc + ", bl=" + bootLoader + ", tee=" + tee + ", snp=" + snp + ", ucode="
                + microcode + "]";
    }
}
