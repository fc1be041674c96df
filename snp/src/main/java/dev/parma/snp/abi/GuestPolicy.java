package dev.parma.snp.abi;

/**
 * Guest POLICY (report 0x008, 8 bytes), fixed at LAUNCH_START. Bit 17 is reserved and must be 1; bits 63:26 are MBZ.
 */
public record GuestPolicy(int abiMinor, int abiMajor, boolean smt, boolean migrateMa, boolean debug,
        boolean singleSocket, boolean cxlAllow, boolean memAes256Xts, boolean raplDis, boolean ciphertextHiding,
        boolean pageSwapDisable) {

    static final int SMT_BIT = 16;
    static final int RESERVED_ONE_BIT = 17;
    static final int MIGRATE_MA_BIT = 18;
    static final int DEBUG_BIT = 19;
    static final int SINGLE_SOCKET_BIT = 20;
    static final int CXL_ALLOW_BIT = 21;
    static final int MEM_AES_256_XTS_BIT = 22;
    static final int RAPL_DIS_BIT = 23;
    static final int CIPHERTEXT_HIDING_BIT = 24;
    static final int PAGE_SWAP_DISABLE_BIT = 25;
    static final long MBZ_MASK = ~((1L << 26) - 1);

    public GuestPolicy {
        if (abiMinor < 0 || abiMinor > 0xFF || abiMajor < 0 || abiMajor > 0xFF) {
            throw new AbiException("POLICY.ABI", "ABI version " + abiMajor + "." + abiMinor + " out of range");
        }
    }

    /** SMT allowed, no debug, ABI 0.0: the 0x30000 policy QEMU, GCP and AWS use. */
    public static GuestPolicy defaults() {
        return parse(0x30000L);
    }

    public static GuestPolicy parse(long v) {
        if ((v & MBZ_MASK) != 0) {
            throw new AbiException("POLICY", String.format("bits 63:26 are MBZ, got 0x%016x", v));
        }
        if (!bit(v, RESERVED_ONE_BIT)) {
            throw new AbiException("POLICY", String.format("reserved bit 17 must be 1, got 0x%016x", v));
        }
        return new GuestPolicy((int) (v & 0xFF), (int) (v >>> 8 & 0xFF), bit(v, SMT_BIT), bit(v, MIGRATE_MA_BIT),
                bit(v, DEBUG_BIT), bit(v, SINGLE_SOCKET_BIT), bit(v, CXL_ALLOW_BIT), bit(v, MEM_AES_256_XTS_BIT),
                bit(v, RAPL_DIS_BIT), bit(v, CIPHERTEXT_HIDING_BIT), bit(v, PAGE_SWAP_DISABLE_BIT));
    }

    public long toLong() {
        long v = abiMinor | (long) abiMajor << 8 | 1L << RESERVED_ONE_BIT;
        v |= flag(smt, SMT_BIT) | flag(migrateMa, MIGRATE_MA_BIT) | flag(debug, DEBUG_BIT);
        v |= flag(singleSocket, SINGLE_SOCKET_BIT) | flag(cxlAllow, CXL_ALLOW_BIT);
        v |= flag(memAes256Xts, MEM_AES_256_XTS_BIT) | flag(raplDis, RAPL_DIS_BIT);
        v |= flag(ciphertextHiding, CIPHERTEXT_HIDING_BIT) | flag(pageSwapDisable, PAGE_SWAP_DISABLE_BIT);
        return v;
    }

    public GuestPolicy withDebug(boolean debug) {
        return new GuestPolicy(abiMinor, abiMajor, smt, migrateMa, debug, singleSocket, cxlAllow, memAes256Xts,
                raplDis, ciphertextHiding, pageSwapDisable);
    }

    public GuestPolicy withMigrateMa(boolean migrateMa) {
        return new GuestPolicy(abiMinor, abiMajor, smt, migrateMa, debug, singleSocket, cxlAllow, memAes256Xts,
                raplDis, ciphertextHiding, pageSwapDisable);
    }

    static boolean bit(long v, int bit) {
        return (v >>> bit & 1) != 0;
    }

    static long flag(boolean on, int bit) {
        return on ? 1L << bit : 0;
    }

    @Override
    public String toString() {
        return String.format("GuestPolicy[0x%x]", toLong());
    }
}
