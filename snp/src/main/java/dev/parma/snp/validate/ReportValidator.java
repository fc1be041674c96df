package dev.parma.snp.validate;

import dev.parma.snp.abi.AbiException;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.abi.TcbVersion;
import dev.parma.snp.verify.VerifiedReport;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks a verified report against {@link ValidationOptions}. All checks run and every mismatch is reported, so a
 * caller sees the whole picture in one error. Byte comparisons are constant-time.
 */
public final class ReportValidator {
    private static final HexFormat HEX = HexFormat.of();

    private ReportValidator() {
    }

    public static void validate(VerifiedReport verified, ValidationOptions options) throws ValidationException {
        validate(verified.report(), verified.product(), options);
    }

    /** {@code product} decides the TCB layout for the minimum-TCB check. */
    public static void validate(AttestationReport r, Product product, ValidationOptions o)
            throws ValidationException {
        List<Mismatch> out = new ArrayList<>();
        exact(out, "HOST_DATA", r.hostData(), o.hostData());
        exact(out, "REPORT_DATA", r.reportData(), o.reportData());
        exact(out, "FAMILY_ID", r.familyId(), o.familyId());
        exact(out, "IMAGE_ID", r.imageId(), o.imageId());
        allowed(out, "MEASUREMENT", r.measurement(), o.measurements());
        allowed(out, "ID_KEY_DIGEST", r.idKeyDigest(), o.idKeyDigests());
        if (r.policy().debug() && !Boolean.TRUE.equals(o.permitDebug())) {
            out.add(new Mismatch("POLICY.DEBUG", "1", "0 (debug guests are refused unless permitDebug)"));
        }
        if (Boolean.FALSE.equals(o.permitMigrationAgent()) && r.policy().migrateMa()) {
            out.add(new Mismatch("POLICY.MIGRATE_MA", "1", "0"));
        }
        if (o.vmpl() != null && r.vmpl() != o.vmpl()) {
            out.add(new Mismatch("VMPL", Integer.toUnsignedString(r.vmpl()), o.vmpl().toString()));
        }
        if (o.minimumGuestSvn() != null && Integer.compareUnsigned(r.guestSvn(), o.minimumGuestSvn()) < 0) {
            out.add(new Mismatch("GUEST_SVN", Integer.toUnsignedString(r.guestSvn()), ">= " + Integer
                    .toUnsignedString(o.minimumGuestSvn())));
        }
        if (o.minimumTcb() != null) {
            minTcb(out, "REPORTED_TCB", r.reportedTcb(), product, o.minimumTcb());
            minTcb(out, "CURRENT_TCB", r.currentTcb(), product, o.minimumTcb());
        }
        if (!out.isEmpty()) {
            throw new ValidationException(out);
        }
    }

    private static void exact(List<Mismatch> out, String field, byte[] got, byte[] want) {
        if (want != null && !MessageDigest.isEqual(got, want)) {
            out.add(new Mismatch(field, HEX.formatHex(got), HEX.formatHex(want)));
        }
    }

    private static void allowed(List<Mismatch> out, String field, byte[] got, List<byte[]> want) {
        if (want == null) {
            return;
        }
        for (byte[] w : want) {
            if (MessageDigest.isEqual(got, w)) {
                return;
            }
        }
        out.add(new Mismatch(field, HEX.formatHex(got), want.size() == 1
                ? HEX.formatHex(want.get(0))
                : "one of [" + want.stream().map(HEX::formatHex).collect(Collectors.joining(", ")) + "]"));
    }

    private static void minTcb(List<Mismatch> out, String field, TcbVersion tcb, Product product, TcbParts min) {
        try {
            TcbParts parts = tcb.parts(product);
            if (!parts.atLeast(min)) {
                out.add(new Mismatch(field, tcb + " " + parts, ">= " + min));
            }
        } catch (AbiException e) {
            out.add(new Mismatch(field, tcb.toString(), ">= " + min + " (" + e.getMessage() + ")"));
        }
    }
}
