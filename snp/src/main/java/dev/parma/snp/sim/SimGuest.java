package dev.parma.snp.sim;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.IdBlock;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.abi.SignerInfo;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.verify.CertificateChain;
import dev.parma.snp.verify.EcdsaP384;
import java.util.Arrays;

/** A launched guest; it can request attestation reports (MSG_REPORT_REQ) as often as it likes. */
public final class SimGuest {
    private final SecureProcessor sp;
    private final GuestPolicy policy;
    private final byte[] measurement;
    private final byte[] hostData;
    private final IdBlock idBlock;
    private final byte[] idKeyDigest;
    private final byte[] reportId;
    private final TcbParts launchTcb;

    SimGuest(SecureProcessor sp, GuestPolicy policy, byte[] measurement, byte[] hostData, IdBlock idBlock,
            byte[] idKeyDigest, byte[] reportId, TcbParts launchTcb) {
        this.sp = sp;
        this.policy = policy;
        this.measurement = measurement;
        this.hostData = hostData;
        this.idBlock = idBlock;
        this.idKeyDigest = idKeyDigest;
        this.reportId = reportId;
        this.launchTcb = launchTcb;
    }

    /** A signed report carrying {@code reportData} (64 bytes) requested at {@code vmpl} (0..3). */
    public byte[] report(byte[] reportData, int vmpl) {
        if (reportData == null || reportData.length != ReportLayout.REPORT_DATA_SIZE) {
            throw new IllegalArgumentException("REPORT_DATA must be 64 bytes, got " + (reportData == null
                    ? "none"
                    : reportData.length));
        }
        if (vmpl < 0 || vmpl > 3) {
            throw new IllegalArgumentException("VMPL must be 0..3, got " + vmpl);
        }
        SimConfig c = sp.config();
        byte[] reportIdMa = new byte[ReportLayout.REPORT_ID_SIZE];
        Arrays.fill(reportIdMa, (byte) 0xFF); // no migration agent
        AttestationReport.Builder b = AttestationReport.builder().version(c.reportVersion()).policy(policy).vmpl(vmpl)
                .signatureAlgo(ReportLayout.SIG_ALGO_ECDSA_P384_SHA384).currentTcb(sp.tcb(c.currentTcb()))
                .reportedTcb(sp.tcb(c.reportedTcb())).committedTcb(sp.tcb(c.committedTcb())).launchTcb(sp.tcb(
                        launchTcb))
                .platformInfo(c.platformInfo()).signerInfo(SignerInfo.vcek()).reportData(reportData)
                .measurement(measurement).hostData(hostData).idKeyDigest(idKeyDigest).reportId(reportId).reportIdMa(
                        reportIdMa)
                .cpuid(sp.product().cpuidFamily(), sp.product().cpuidModel(), c.cpuidStepping())
                .chipId(sp.chip().chipId()).currentVersion(c.currentFirmware()).committedVersion(c.committedFirmware());
        if (c.reportVersion() >= ReportLayout.MIT_VECTOR_SINCE_VERSION) {
            b.mitVectors(c.mitigationVector(), c.mitigationVector());
        }
        if (idBlock != null) {
            b.familyId(idBlock.familyId()).imageId(idBlock.imageId()).guestSvn(idBlock.guestSvn());
        }
        byte[] unsigned = b.build().toBytes();
        byte[] digest = EcdsaP384.sha384(unsigned, ReportLayout.SIGNED_SIZE);
        return b.signature(P384.sign(sp.vcekKey(), digest, sp.random())).build().toBytes();
    }

    /** VCEK, ASK, ARK of the chip this guest runs on. */
    public CertificateChain certificateChain() {
        return sp.certificateChain();
    }

    public byte[] measurement() {
        return measurement.clone();
    }

    public byte[] reportId() {
        return reportId.clone();
    }
}
