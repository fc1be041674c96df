package dev.parma.snp.abi;

/** PLATFORM_INFO (report 0x040, 8 bytes): platform state when the report was made. Bit 6 and bits 63:8 reserved. */
public record PlatformInfo(boolean smtEnabled, boolean tsmeEnabled, boolean eccEnabled, boolean raplDisabled,
        boolean ciphertextHidingEnabled, boolean aliasCheckComplete, boolean tioEnabled) {

    static final long RESERVED_MASK = ~0xBFL;

    public static PlatformInfo parse(long v) {
        if ((v & RESERVED_MASK) != 0) {
            throw new AbiException("PLATFORM_INFO", String.format("reserved bits set (bit 6, 63:8): 0x%016x", v));
        }
        return new PlatformInfo(GuestPolicy.bit(v, 0), GuestPolicy.bit(v, 1), GuestPolicy.bit(v, 2),
                GuestPolicy.bit(v, 3), GuestPolicy.bit(v, 4), GuestPolicy.bit(v, 5), GuestPolicy.bit(v, 7));
    }

    public long toLong() {
        return GuestPolicy.flag(smtEnabled, 0) | GuestPolicy.flag(tsmeEnabled, 1) | GuestPolicy.flag(eccEnabled, 2)
                | GuestPolicy.flag(raplDisabled, 3) | GuestPolicy.flag(ciphertextHidingEnabled, 4)
                | GuestPolicy.flag(aliasCheckComplete, 5) | GuestPolicy.flag(tioEnabled, 7);
    }

    @Override
    public String toString() {
        return String.format("PlatformInfo[0x%x]", toLong());
    }
}
