package dev.parma.snp.sim;

import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.IdBlock;
import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.measure.LaunchDigest;
import dev.parma.snp.measure.PageType;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A guest between SNP_LAUNCH_START and SNP_LAUNCH_FINISH. Each update folds pages into the launch digest exactly as
 * {@link LaunchDigest} computes it, so an expected MEASUREMENT can be precomputed with {@code dev.parma.snp.measure}.
 * Single use: after {@code finish} every call throws.
 */
public final class GuestLaunch {
    private final SecureProcessor sp;
    private final GuestPolicy policy;
    private final LaunchDigest digest = new LaunchDigest();
    private boolean finished;

    GuestLaunch(SecureProcessor sp, GuestPolicy policy) {
        this.sp = sp;
        this.policy = policy;
    }

    /** SNP_LAUNCH_UPDATE for one 4 KiB page. */
    public GuestLaunch update(PageType type, long gpa, byte[] page) {
        open("LAUNCH_UPDATE");
        digest.update(type, gpa, page);
        return this;
    }

    /** SNP_LAUNCH_UPDATE of consecutive NORMAL pages. */
    public GuestLaunch updateNormal(long gpa, byte[] data) {
        open("LAUNCH_UPDATE");
        digest.updateNormal(gpa, data);
        return this;
    }

    /** SNP_LAUNCH_UPDATE of content-less pages (ZERO, UNMEASURED, SECRETS, CPUID). */
    public GuestLaunch updateRange(PageType type, long gpa, long size) {
        open("LAUNCH_UPDATE");
        digest.updateRange(type, gpa, size);
        return this;
    }

    /** A VMSA page (one per vCPU). */
    public GuestLaunch updateVmsa(byte[] vmsaPage) {
        open("LAUNCH_UPDATE");
        digest.updateVmsa(vmsaPage);
        return this;
    }

    /** The launch digest so far. */
    public byte[] measurement() {
        return digest.digest();
    }

    /** SNP_LAUNCH_FINISH without an ID block. */
    public SimGuest finish(byte[] hostData) {
        return finish(hostData, null, null);
    }

    /**
     * SNP_LAUNCH_FINISH with HOST_DATA and an optional ID block. As on hardware, the ID block's LD must equal the
     * measurement, its POLICY must equal the launch policy and its signature must verify with the ID key.
     */
    public SimGuest finish(byte[] hostData, IdBlock idBlock, IdAuth idAuth) {
        open("LAUNCH_FINISH");
        if (hostData == null || hostData.length != ReportLayout.HOST_DATA_SIZE) {
            throw new IllegalArgumentException("LAUNCH_FINISH: HOST_DATA must be 32 bytes, got "
                    + (hostData == null ? "none" : hostData.length));
        }
        byte[] measurement = digest.digest();
        byte[] idKeyDigest = new byte[ReportLayout.KEY_DIGEST_SIZE];
        if (idBlock != null) {
            if (idAuth == null) {
                throw new IllegalArgumentException("LAUNCH_FINISH: an ID block needs its ID_AUTH_INFO");
            }
            if (!Arrays.equals(idBlock.ld(), measurement)) {
                throw new IllegalArgumentException("LAUNCH_FINISH: ID_BLOCK.LD " + HexFormat.of().formatHex(idBlock
                        .ld()) + " != launch digest " + HexFormat.of().formatHex(measurement));
            }
            if (!idBlock.policy().equals(policy)) {
                throw new IllegalArgumentException("LAUNCH_FINISH: ID_BLOCK.POLICY " + idBlock.policy()
                        + " != launch POLICY " + policy);
            }
            if (!idAuth.verifies(idBlock)) {
                throw new IllegalArgumentException("LAUNCH_FINISH: ID_BLOCK_SIG does not verify with the ID key");
            }
            idKeyDigest = idAuth.idKey().digest();
        }
        finished = true;
        byte[] reportId = new byte[ReportLayout.REPORT_ID_SIZE];
        sp.random().nextBytes(reportId);
        return new SimGuest(sp, policy, measurement, hostData.clone(), idBlock, idKeyDigest, reportId, sp.config()
                .currentTcb());
    }

    private void open(String command) {
        if (finished) {
            throw new IllegalStateException(command + ": the launch is already finished");
        }
    }
}
