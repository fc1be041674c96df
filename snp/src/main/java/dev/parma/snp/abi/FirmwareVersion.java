package dev.parma.snp.abi;

/** SNP firmware version as the report stores it: BUILD, MINOR, MAJOR bytes (1.55.40 is 28 37 01). */
public record FirmwareVersion(int major, int minor, int build) {

    public FirmwareVersion {
        if ((major | minor | build) >>> 8 != 0) {
            throw new AbiException("FIRMWARE_VERSION", major + "." + minor + "." + build + " does not fit in bytes");
        }
    }

    public static final FirmwareVersion ZERO = new FirmwareVersion(0, 0, 0);

    @Override
    public String toString() {
        return major + "." + minor + "." + build;
    }
}
