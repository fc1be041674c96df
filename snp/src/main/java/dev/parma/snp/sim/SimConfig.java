package dev.parma.snp.sim;

import dev.parma.snp.abi.FirmwareVersion;
import dev.parma.snp.abi.PlatformInfo;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.TcbParts;

/**
 * Platform state of a simulated secure processor.
 *
 * @param reportVersion 3 (Milan/Genoa style) or 5 (with mitigation vectors)
 * @param currentTcb CURRENT_TCB; also LAUNCH_TCB of guests launched now
 * @param reportedTcb REPORTED_TCB, the TCB the VCEK is derived from (may lag the current TCB)
 * @param committedTcb COMMITTED_TCB
 */
public record SimConfig(int reportVersion, TcbParts currentTcb, TcbParts reportedTcb, TcbParts committedTcb,
        FirmwareVersion currentFirmware, FirmwareVersion committedFirmware, PlatformInfo platformInfo,
        long mitigationVector, int cpuidStepping) {

    public SimConfig {
        if (reportVersion < 3 || reportVersion > 5) {
            throw new IllegalArgumentException("simulated report version must be 3..5, got " + reportVersion);
        }
        if (currentTcb == null || reportedTcb == null || committedTcb == null || currentFirmware == null
                || committedFirmware == null || platformInfo == null) {
            throw new IllegalArgumentException("SimConfig: all TCBs, firmware versions and platform info are required");
        }
    }

    /** Plausible values per product: v3 on Milan/Genoa, v5 on Turin; all TCBs equal; firmware 1.55.40. */
    public static SimConfig defaults(Product product) {
        TcbParts tcb = switch (product) {
            case MILAN -> TcbParts.of(4, 0, 27, 222);
            case GENOA -> TcbParts.of(10, 0, 23, 84);
            case TURIN -> new TcbParts(1, 1, 1, 4, 72);
        };
        FirmwareVersion fw = new FirmwareVersion(1, 55, 40);
        return new SimConfig(product == Product.TURIN ? 5 : 3, tcb, tcb, tcb, fw, fw, PlatformInfo.parse(0x25),
                product == Product.TURIN ? 0x3 : 0, 1);
    }

    public SimConfig withReportVersion(int v) {
        return new SimConfig(v, currentTcb, reportedTcb, committedTcb, currentFirmware, committedFirmware,
                platformInfo, v >= 5 ? mitigationVector : 0, cpuidStepping);
    }

    /** Sets every TCB to {@code tcb}. */
    public SimConfig withTcb(TcbParts tcb) {
        return new SimConfig(reportVersion, tcb, tcb, tcb, currentFirmware, committedFirmware, platformInfo,
                mitigationVector, cpuidStepping);
    }

    public SimConfig withReportedTcb(TcbParts tcb) {
        return new SimConfig(reportVersion, currentTcb, tcb, committedTcb, currentFirmware, committedFirmware,
                platformInfo, mitigationVector, cpuidStepping);
    }
}
