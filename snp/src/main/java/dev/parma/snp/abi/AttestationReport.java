package dev.parma.snp.abi;

import static dev.parma.snp.abi.ReportLayout.*;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * ATTESTATION_REPORT (0x4A0 bytes) for versions 1 to 5. {@link #parse(byte[])} reads every field at its spec offset
 * and rejects non-zero reserved ranges; {@link #toBytes()} composes the exact bytes back, so
 * {@code parse(x).toBytes()} equals {@code x} for every accepted {@code x}.
 *
 * <p>
 * Byte-array components are copied in and out. Fields a version does not have (CPUID before v3, mitigation vectors
 * before v5) must be zero.
 */
public record AttestationReport(int version, int guestSvn, GuestPolicy policy, byte[] familyId, byte[] imageId,
        int vmpl, int signatureAlgo, TcbVersion currentTcb, PlatformInfo platformInfo, SignerInfo signerInfo,
        byte[] reportData, byte[] measurement, byte[] hostData, byte[] idKeyDigest, byte[] authorKeyDigest,
        byte[] reportId, byte[] reportIdMa, TcbVersion reportedTcb, int cpuidFamId, int cpuidModId, int cpuidStep,
        byte[] chipId, TcbVersion committedTcb, FirmwareVersion currentVersion, FirmwareVersion committedVersion,
        TcbVersion launchTcb, long launchMitVector, long currentMitVector, ReportSignature signature) {

    private static final HexFormat HEX = HexFormat.of();

    public AttestationReport {
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new AbiException("VERSION", "unsupported report version " + version + " (supported " + MIN_VERSION
                    + ".." + MAX_VERSION + ")");
        }
        nonNull("POLICY", policy);
        nonNull("CURRENT_TCB", currentTcb);
        nonNull("PLATFORM_INFO", platformInfo);
        nonNull("SIGNER_INFO", signerInfo);
        nonNull("REPORTED_TCB", reportedTcb);
        nonNull("COMMITTED_TCB", committedTcb);
        nonNull("CURRENT_VERSION", currentVersion);
        nonNull("COMMITTED_VERSION", committedVersion);
        nonNull("LAUNCH_TCB", launchTcb);
        nonNull("SIGNATURE", signature);
        familyId = copy("FAMILY_ID", familyId, FAMILY_ID_SIZE);
        imageId = copy("IMAGE_ID", imageId, IMAGE_ID_SIZE);
        reportData = copy("REPORT_DATA", reportData, REPORT_DATA_SIZE);
        measurement = copy("MEASUREMENT", measurement, MEASUREMENT_SIZE);
        hostData = copy("HOST_DATA", hostData, HOST_DATA_SIZE);
        idKeyDigest = copy("ID_KEY_DIGEST", idKeyDigest, KEY_DIGEST_SIZE);
        authorKeyDigest = copy("AUTHOR_KEY_DIGEST", authorKeyDigest, KEY_DIGEST_SIZE);
        reportId = copy("REPORT_ID", reportId, REPORT_ID_SIZE);
        reportIdMa = copy("REPORT_ID_MA", reportIdMa, REPORT_ID_SIZE);
        chipId = copy("CHIP_ID", chipId, CHIP_ID_SIZE);
        checkByte("CPUID_FAM_ID", cpuidFamId);
        checkByte("CPUID_MOD_ID", cpuidModId);
        checkByte("CPUID_STEP", cpuidStep);
        if (version < CPUID_SINCE_VERSION && (cpuidFamId | cpuidModId | cpuidStep) != 0) {
            throw new AbiException("CPUID_FAM_ID", "CPUID fields are reserved before version 3, report is version "
                    + version);
        }
        if (version < MIT_VECTOR_SINCE_VERSION && (launchMitVector | currentMitVector) != 0) {
            throw new AbiException("LAUNCH_MIT_VECTOR",
                    "mitigation vectors are reserved before version 5, report is version " + version);
        }
    }

    /** Parses and checks a report; throws {@link AbiException} naming the first offending field. */
    public static AttestationReport parse(byte[] b) {
        if (b == null) {
            throw new AbiException("ATTESTATION_REPORT", "is null");
        }
        if (b.length != REPORT_SIZE) {
            throw new AbiException("ATTESTATION_REPORT", "size is " + b.length + " bytes, want " + REPORT_SIZE);
        }
        int version = Le.u32(b, VERSION);
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new AbiException("VERSION", "unsupported report version " + Integer.toUnsignedString(version)
                    + " (supported " + MIN_VERSION + ".." + MAX_VERSION + ")");
        }
        mbz(b, RESERVED_04C, REPORT_DATA, "reserved 0x04C-0x04F");
        boolean hasCpuid = version >= CPUID_SINCE_VERSION;
        mbz(b, hasCpuid ? RESERVED_18B : CPUID_FAM_ID, CHIP_ID,
                hasCpuid ? "reserved 0x18B-0x19F" : "reserved 0x188-0x19F (version " + version + ")");
        mbz(b, RESERVED_1EB, RESERVED_1EB + 1, "reserved 0x1EB");
        mbz(b, RESERVED_1EF, RESERVED_1EF + 1, "reserved 0x1EF");
        boolean hasMit = version >= MIT_VECTOR_SINCE_VERSION;
        mbz(b, hasMit ? RESERVED_208 : LAUNCH_MIT_VECTOR, SIGNATURE,
                hasMit ? "reserved 0x208-0x29F" : "reserved 0x1F8-0x29F (version " + version + ")");
        mbz(b, SIGNATURE_RESERVED, REPORT_SIZE, "SIGNATURE reserved 0x330-0x49F");
        return new AttestationReport(version, Le.u32(b, GUEST_SVN), GuestPolicy.parse(Le.u64(b, POLICY)),
                slice(b, FAMILY_ID, FAMILY_ID_SIZE), slice(b, IMAGE_ID, IMAGE_ID_SIZE), Le.u32(b, VMPL),
                Le.u32(b, SIGNATURE_ALGO), new TcbVersion(Le.u64(b, CURRENT_TCB)),
                PlatformInfo.parse(Le.u64(b, PLATFORM_INFO)), SignerInfo.parse(Le.u32(b, SIGNER_INFO)),
                slice(b, REPORT_DATA, REPORT_DATA_SIZE), slice(b, MEASUREMENT, MEASUREMENT_SIZE),
                slice(b, HOST_DATA, HOST_DATA_SIZE), slice(b, ID_KEY_DIGEST, KEY_DIGEST_SIZE),
                slice(b, AUTHOR_KEY_DIGEST, KEY_DIGEST_SIZE), slice(b, REPORT_ID, REPORT_ID_SIZE),
                slice(b, REPORT_ID_MA, REPORT_ID_SIZE), new TcbVersion(Le.u64(b, REPORTED_TCB)),
                hasCpuid ? Le.u8(b, CPUID_FAM_ID) : 0, hasCpuid ? Le.u8(b, CPUID_MOD_ID) : 0,
                hasCpuid ? Le.u8(b, CPUID_STEP) : 0, slice(b, CHIP_ID, CHIP_ID_SIZE),
                new TcbVersion(Le.u64(b, COMMITTED_TCB)), firmware(b, CURRENT_BUILD), firmware(b, COMMITTED_BUILD),
                new TcbVersion(Le.u64(b, LAUNCH_TCB)), hasMit ? Le.u64(b, LAUNCH_MIT_VECTOR) : 0,
                hasMit ? Le.u64(b, CURRENT_MIT_VECTOR) : 0, ReportSignature.read(b, SIGNATURE));
    }

    /** Composes the 0x4A0-byte ABI form. */
    public byte[] toBytes() {
        byte[] b = new byte[REPORT_SIZE];
        Le.put32(b, VERSION, version);
        Le.put32(b, GUEST_SVN, guestSvn);
        Le.put64(b, POLICY, policy.toLong());
        System.arraycopy(familyId, 0, b, FAMILY_ID, FAMILY_ID_SIZE);
        System.arraycopy(imageId, 0, b, IMAGE_ID, IMAGE_ID_SIZE);
        Le.put32(b, VMPL, vmpl);
        Le.put32(b, SIGNATURE_ALGO, signatureAlgo);
        Le.put64(b, CURRENT_TCB, currentTcb.raw());
        Le.put64(b, PLATFORM_INFO, platformInfo.toLong());
        Le.put32(b, SIGNER_INFO, signerInfo.toInt());
        System.arraycopy(reportData, 0, b, REPORT_DATA, REPORT_DATA_SIZE);
        System.arraycopy(measurement, 0, b, MEASUREMENT, MEASUREMENT_SIZE);
        System.arraycopy(hostData, 0, b, HOST_DATA, HOST_DATA_SIZE);
        System.arraycopy(idKeyDigest, 0, b, ID_KEY_DIGEST, KEY_DIGEST_SIZE);
        System.arraycopy(authorKeyDigest, 0, b, AUTHOR_KEY_DIGEST, KEY_DIGEST_SIZE);
        System.arraycopy(reportId, 0, b, REPORT_ID, REPORT_ID_SIZE);
        System.arraycopy(reportIdMa, 0, b, REPORT_ID_MA, REPORT_ID_SIZE);
        Le.put64(b, REPORTED_TCB, reportedTcb.raw());
        b[CPUID_FAM_ID] = (byte) cpuidFamId;
        b[CPUID_MOD_ID] = (byte) cpuidModId;
        b[CPUID_STEP] = (byte) cpuidStep;
        System.arraycopy(chipId, 0, b, CHIP_ID, CHIP_ID_SIZE);
        Le.put64(b, COMMITTED_TCB, committedTcb.raw());
        putFirmware(b, CURRENT_BUILD, currentVersion);
        putFirmware(b, COMMITTED_BUILD, committedVersion);
        Le.put64(b, LAUNCH_TCB, launchTcb.raw());
        Le.put64(b, LAUNCH_MIT_VECTOR, launchMitVector);
        Le.put64(b, CURRENT_MIT_VECTOR, currentMitVector);
        signature.write(b, SIGNATURE);
        return b;
    }

    /** The bytes the signature covers (0x000..0x29F). */
    public byte[] signedBytes() {
        return Arrays.copyOf(toBytes(), SIGNED_SIZE);
    }

    /** Product from the CPUID fields; v1/v2 reports have none, so the caller must take it from the VCEK. */
    public Product productFromCpuid() {
        if (version < CPUID_SINCE_VERSION) {
            throw new AbiException("CPUID_FAM_ID", "report version " + version + " carries no CPUID fields");
        }
        return Product.fromCpuid(cpuidFamId, cpuidModId);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    // Byte-array components are returned as copies so a report stays immutable.
    @Override
    public byte[] familyId() {
        return familyId.clone();
    }

    @Override
    public byte[] imageId() {
        return imageId.clone();
    }

    @Override
    public byte[] reportData() {
        return reportData.clone();
    }

    @Override
    public byte[] measurement() {
        return measurement.clone();
    }

    @Override
    public byte[] hostData() {
        return hostData.clone();
    }

    @Override
    public byte[] idKeyDigest() {
        return idKeyDigest.clone();
    }

    @Override
    public byte[] authorKeyDigest() {
        return authorKeyDigest.clone();
    }

    @Override
    public byte[] reportId() {
        return reportId.clone();
    }

    @Override
    public byte[] reportIdMa() {
        return reportIdMa.clone();
    }

    @Override
    public byte[] chipId() {
        return chipId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttestationReport other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "AttestationReport[version=" + version + ", guestSvn=" + guestSvn + ", policy=" + policy + ", vmpl="
                + vmpl + ", signer=" + signerInfo + ", measurement=" + HEX.formatHex(measurement) + ", hostData="
                + HEX.formatHex(hostData) + ", reportData=" + HEX.formatHex(reportData) + ", reportedTcb="
                + reportedTcb + ", chipId=" + HEX.formatHex(chipId) + "]";
    }

    private static void nonNull(String field, Object v) {
        if (v == null) {
            throw new AbiException(field, "must not be null");
        }
    }

    private static byte[] copy(String field, byte[] v, int size) {
        if (v == null) {
            throw new AbiException(field, "must not be null");
        }
        if (v.length != size) {
            throw new AbiException(field, "length is " + v.length + " bytes, want " + size);
        }
        return v.clone();
    }

    private static void checkByte(String field, int v) {
        if (v < 0 || v > 0xFF) {
            throw new AbiException(field, "value " + v + " does not fit in a byte");
        }
    }

    private static void mbz(byte[] b, int from, int to, String field) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                throw new AbiException(field, String.format("MBZ but byte 0x%03X is 0x%02x", i, b[i] & 0xFF));
            }
        }
    }

    private static byte[] slice(byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }

    private static FirmwareVersion firmware(byte[] b, int buildOffset) {
        return new FirmwareVersion(Le.u8(b, buildOffset + 2), Le.u8(b, buildOffset + 1), Le.u8(b, buildOffset));
    }

    private static void putFirmware(byte[] b, int buildOffset, FirmwareVersion v) {
        b[buildOffset] = (byte) v.build();
        b[buildOffset + 1] = (byte) v.minor();
        b[buildOffset + 2] = (byte) v.major();
    }

    /** Mutable builder, mainly for the simulator and the testkit. Defaults: a zeroed v3 VCEK report. */
    public static final class Builder {
        private int version = 3;
        private int guestSvn;
        private GuestPolicy policy = GuestPolicy.defaults();
        private byte[] familyId = new byte[FAMILY_ID_SIZE];
        private byte[] imageId = new byte[IMAGE_ID_SIZE];
        private int vmpl;
        private int signatureAlgo = SIG_ALGO_ECDSA_P384_SHA384;
        private TcbVersion currentTcb = new TcbVersion(0);
        private PlatformInfo platformInfo = PlatformInfo.parse(0);
        private SignerInfo signerInfo = SignerInfo.vcek();
        private byte[] reportData = new byte[REPORT_DATA_SIZE];
        private byte[] measurement = new byte[MEASUREMENT_SIZE];
        private byte[] hostData = new byte[HOST_DATA_SIZE];
        private byte[] idKeyDigest = new byte[KEY_DIGEST_SIZE];
        private byte[] authorKeyDigest = new byte[KEY_DIGEST_SIZE];
        private byte[] reportId = new byte[REPORT_ID_SIZE];
        private byte[] reportIdMa = new byte[REPORT_ID_SIZE];
        private TcbVersion reportedTcb = new TcbVersion(0);
        private int cpuidFamId;
        private int cpuidModId;
        private int cpuidStep;
        private byte[] chipId = new byte[CHIP_ID_SIZE];
        private TcbVersion committedTcb = new TcbVersion(0);
        private FirmwareVersion currentVersion = FirmwareVersion.ZERO;
        private FirmwareVersion committedVersion = FirmwareVersion.ZERO;
        private TcbVersion launchTcb = new TcbVersion(0);
        private long launchMitVector;
        private long currentMitVector;
        private ReportSignature signature = ReportSignature.ZERO;

        Builder() {
            Arrays.fill(reportIdMa, (byte) 0xFF);
        }

        Builder(AttestationReport r) {
            version = r.version;
            guestSvn = r.guestSvn;
            policy = r.policy;
            familyId = r.familyId;
            imageId = r.imageId;
            vmpl = r.vmpl;
            signatureAlgo = r.signatureAlgo;
            currentTcb = r.currentTcb;
            platformInfo = r.platformInfo;
            signerInfo = r.signerInfo;
            reportData = r.reportData;
            measurement = r.measurement;
            hostData = r.hostData;
            idKeyDigest = r.idKeyDigest;
            authorKeyDigest = r.authorKeyDigest;
            reportId = r.reportId;
            reportIdMa = r.reportIdMa;
            reportedTcb = r.reportedTcb;
            cpuidFamId = r.cpuidFamId;
            cpuidModId = r.cpuidModId;
            cpuidStep = r.cpuidStep;
            chipId = r.chipId;
            committedTcb = r.committedTcb;
            currentVersion = r.currentVersion;
            committedVersion = r.committedVersion;
            launchTcb = r.launchTcb;
            launchMitVector = r.launchMitVector;
            currentMitVector = r.currentMitVector;
            signature = r.signature;
        }

        public Builder version(int v) {
            version = v;
            return this;
        }

        public Builder guestSvn(int v) {
            guestSvn = v;
            return this;
        }

        public Builder policy(GuestPolicy v) {
            policy = v;
            return this;
        }

        public Builder familyId(byte[] v) {
            familyId = v;
            return this;
        }

        public Builder imageId(byte[] v) {
            imageId = v;
            return this;
        }

        public Builder vmpl(int v) {
            vmpl = v;
            return this;
        }

        public Builder signatureAlgo(int v) {
            signatureAlgo = v;
            return this;
        }

        public Builder currentTcb(TcbVersion v) {
            currentTcb = v;
            return this;
        }

        public Builder platformInfo(PlatformInfo v) {
            platformInfo = v;
            return this;
        }

        public Builder signerInfo(SignerInfo v) {
            signerInfo = v;
            return this;
        }

        public Builder reportData(byte[] v) {
            reportData = v;
            return this;
        }

        public Builder measurement(byte[] v) {
            measurement = v;
            return this;
        }

        public Builder hostData(byte[] v) {
            hostData = v;
            return this;
        }

        public Builder idKeyDigest(byte[] v) {
            idKeyDigest = v;
            return this;
        }

        public Builder authorKeyDigest(byte[] v) {
            authorKeyDigest = v;
            return this;
        }

        public Builder reportId(byte[] v) {
            reportId = v;
            return this;
        }

        public Builder reportIdMa(byte[] v) {
            reportIdMa = v;
            return this;
        }

        public Builder reportedTcb(TcbVersion v) {
            reportedTcb = v;
            return this;
        }

        /** Sets CURRENT, REPORTED, COMMITTED and LAUNCH TCB to the same value. */
        public Builder allTcbs(TcbVersion v) {
            currentTcb = v;
            reportedTcb = v;
            committedTcb = v;
            launchTcb = v;
            return this;
        }

        public Builder cpuid(int family, int model, int stepping) {
            cpuidFamId = family;
            cpuidModId = model;
            cpuidStep = stepping;
            return this;
        }

        public Builder chipId(byte[] v) {
            chipId = v;
            return this;
        }

        public Builder committedTcb(TcbVersion v) {
            committedTcb = v;
            return this;
        }

        public Builder currentVersion(FirmwareVersion v) {
            currentVersion = v;
            return this;
        }

        public Builder committedVersion(FirmwareVersion v) {
            committedVersion = v;
            return this;
        }

        public Builder launchTcb(TcbVersion v) {
            launchTcb = v;
            return this;
        }

        public Builder mitVectors(long launch, long current) {
            launchMitVector = launch;
            currentMitVector = current;
            return this;
        }

        public Builder signature(ReportSignature v) {
            signature = v;
            return this;
        }

        public AttestationReport build() {
            return new AttestationReport(version, guestSvn, policy, familyId, imageId, vmpl, signatureAlgo,
                    currentTcb, platformInfo, signerInfo, reportData, measurement, hostData, idKeyDigest,
                    authorKeyDigest, reportId, reportIdMa, reportedTcb, cpuidFamId, cpuidModId, cpuidStep, chipId,
                    committedTcb, currentVersion, committedVersion, launchTcb, launchMitVector, currentMitVector,
                    signature);
        }
    }
}
