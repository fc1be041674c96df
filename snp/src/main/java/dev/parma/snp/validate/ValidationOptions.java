package dev.parma.snp.validate;

import dev.parma.snp.abi.TcbParts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the relying party expects of a verified report. Every option that is null (absent) is not checked, except
 * {@code permitDebug}: debug guests are refused unless it is explicitly true, because a debuggable guest's memory is
 * readable by the host.
 *
 * @param hostData exact HOST_DATA (32 bytes), e.g. SHA-256 of the container group's policy
 * @param measurements allowed MEASUREMENT values (48 bytes each); one element means an exact match
 * @param reportData exact REPORT_DATA (64 bytes), e.g. a nonce or key digest
 * @param minimumTcb component-wise minimum for REPORTED_TCB and CURRENT_TCB
 * @param permitDebug true to accept POLICY.DEBUG = 1 (null or false refuses it)
 * @param permitMigrationAgent false to refuse POLICY.MIGRATE_MA = 1 (null: not checked)
 * @param vmpl exact VMPL of the requester
 * @param idKeyDigests allowed ID_KEY_DIGEST values (48 bytes each)
 * @param familyId exact FAMILY_ID (16 bytes)
 * @param imageId exact IMAGE_ID (16 bytes)
 * @param minimumGuestSvn minimum GUEST_SVN (unsigned comparison)
 */
public record ValidationOptions(byte[] hostData, List<byte[]> measurements, byte[] reportData, TcbParts minimumTcb,
        Boolean permitDebug, Boolean permitMigrationAgent, Integer vmpl, List<byte[]> idKeyDigests, byte[] familyId,
        byte[] imageId, Integer minimumGuestSvn) {

    public ValidationOptions {
        hostData = sized("HOST_DATA", hostData, 32);
        reportData = sized("REPORT_DATA", reportData, 64);
        familyId = sized("FAMILY_ID", familyId, 16);
        imageId = sized("IMAGE_ID", imageId, 16);
        measurements = list("MEASUREMENT", measurements, 48);
        idKeyDigests = list("ID_KEY_DIGEST", idKeyDigests, 48);
        if (vmpl != null && (vmpl < 0 || vmpl > 3)) {
            throw new IllegalArgumentException("expected VMPL must be 0..3, got " + vmpl);
        }
    }

    /** Nothing checked except that debug is refused. */
    public static ValidationOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public byte[] hostData() {
        return hostData == null ? null : hostData.clone();
    }

    @Override
    public byte[] reportData() {
        return reportData == null ? null : reportData.clone();
    }

    @Override
    public byte[] familyId() {
        return familyId == null ? null : familyId.clone();
    }

    @Override
    public byte[] imageId() {
        return imageId == null ? null : imageId.clone();
    }

    private static byte[] sized(String field, byte[] v, int size) {
        if (v != null && v.length != size) {
            throw new IllegalArgumentException("expected " + field + " must be " + size + " bytes, got " + v.length);
        }
        return v == null ? null : v.clone();
    }

    private static List<byte[]> list(String field, List<byte[]> v, int size) {
        if (v == null) {
            return null;
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("allowed " + field + " list is empty: nothing would pass; use null to"
                    + " skip the check");
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] b : v) {
            out.add(sized(field, b, size));
        }
        return List.copyOf(out);
    }

    /** Builder; unset options are not checked. */
    public static final class Builder {
        private byte[] hostData;
        private List<byte[]> measurements;
        private byte[] reportData;
        private TcbParts minimumTcb;
        private Boolean permitDebug;
        private Boolean permitMigrationAgent;
        private Integer vmpl;
        private List<byte[]> idKeyDigests;
        private byte[] familyId;
        private byte[] imageId;
        private Integer minimumGuestSvn;

        public Builder hostData(byte[] v) {
            hostData = v;
            return this;
        }

        public Builder measurement(byte[] v) {
            measurements = List.of(v);
            return this;
        }

        public Builder measurements(Collection<byte[]> v) {
            measurements = new ArrayList<>(v);
            return this;
        }

        public Builder reportData(byte[] v) {
            reportData = v;
            return this;
        }

        public Builder minimumTcb(TcbParts v) {
            minimumTcb = v;
            return this;
        }

        public Builder permitDebug(boolean v) {
            permitDebug = v;
            return this;
        }

        public Builder permitMigrationAgent(boolean v) {
            permitMigrationAgent = v;
            return this;
        }

        public Builder vmpl(int v) {
            vmpl = v;
            return this;
        }

        public Builder idKeyDigests(Collection<byte[]> v) {
            idKeyDigests = new ArrayList<>(v);
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

        public Builder minimumGuestSvn(int v) {
            minimumGuestSvn = v;
            return this;
        }

        public ValidationOptions build() {
            return new ValidationOptions(hostData, measurements, reportData, minimumTcb, permitDebug,
                    permitMigrationAgent, vmpl, idKeyDigests, familyId, imageId, minimumGuestSvn);
        }
    }
}
