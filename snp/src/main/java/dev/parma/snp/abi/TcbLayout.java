package dev.parma.snp.abi;

/** Byte positions of the SPLs inside the 8-byte TCB_VERSION. */
public enum TcbLayout {
    /** Milan and Genoa: byte0 BOOT_LOADER, byte1 TEE, bytes2..5 reserved, byte6 SNP, byte7 MICROCODE. */
    LEGACY(-1, 0, 1, 6, 0b0011_1100),
    /** Turin: byte0 FMC, byte1 BOOT_LOADER, byte2 TEE, byte3 SNP, bytes4..6 reserved, byte7 MICROCODE. */
    TURIN(0, 1, 2, 3, 0b0111_0000);

    final int fmcByte;
    final int bootLoaderByte;
    final int teeByte;
    final int snpByte;
    /** Bit i set = byte i is reserved. */
    final int reservedBytes;

    TcbLayout(int fmcByte, int bootLoaderByte, int teeByte, int snpByte, int reservedBytes) {
        this.fmcByte = fmcByte;
        this.bootLoaderByte = bootLoaderByte;
        this.teeByte = teeByte;
        this.snpByte = snpByte;
        this.reservedBytes = reservedBytes;
    }

    static final int MICROCODE_BYTE = 7;
}
