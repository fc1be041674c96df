package dev.parma.snp.abi;

/**
 * An 8-byte TCB_VERSION as it appears in the report (little-endian u64). Its meaning depends on the product's
 * {@link TcbLayout}, so the raw value is kept and decoded on demand.
 */
public record TcbVersion(long raw) {

    /** Decomposes into SPLs; reserved bytes must be zero. */
    public TcbParts parts(TcbLayout layout) {
        for (int i = 0; i < 8; i++) {
            if ((layout.reservedBytes >>> i & 1) != 0 && byteAt(i) != 0) {
                throw new AbiException("TCB_VERSION", String.format("reserved byte %d is 0x%02x in %s, must be 0",
                        i, byteAt(i), this));
            }
        }
        return new TcbParts(layout.fmcByte < 0 ? 0 : byteAt(layout.fmcByte), byteAt(layout.bootLoaderByte),
                byteAt(layout.teeByte), byteAt(layout.snpByte), byteAt(TcbLayout.MICROCODE_BYTE));
    }

    public TcbParts parts(Product product) {
        return parts(product.tcbLayout());
    }

    /** Composes SPLs into the product's layout. */
    public static TcbVersion of(TcbLayout layout, TcbParts parts) {
        if (layout.fmcByte < 0 && parts.fmc() != 0) {
            throw new AbiException("TCB_VERSION.FMC", "FMC SPL " + parts.fmc() + " has no place in the " + layout
                    + " layout");
        }
        long raw = 0;
        if (layout.fmcByte >= 0) {
            raw |= (long) parts.fmc() << 8 * layout.fmcByte;
        }
        raw |= (long) parts.bootLoader() << 8 * layout.bootLoaderByte;
        raw |= (long) parts.tee() << 8 * layout.teeByte;
        raw |= (long) parts.snp() << 8 * layout.snpByte;
        raw |= (long) parts.microcode() << 8 * TcbLayout.MICROCODE_BYTE;
        return new TcbVersion(raw);
    }

    public static TcbVersion of(Product product, TcbParts parts) {
        return of(product.tcbLayout(), parts);
    }

    private int byteAt(int i) {
        return (int) (raw >>> 8 * i) & 0xFF;
    }

    /** 16 hex digits, the "tcbm" form used by Azure THIM. */
    public String hex() {
        return String.format("%016x", raw);
    }

    @Override
    public String toString() {
        return "0x" + hex();
    }
}
