package dev.parma.attestation.token;

import static dev.parma.attestation.api.AttestationErrors.INVALID_DATA;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.api.AttestationException;
import dev.parma.attestation.evidence.AttestRequest.BoundData;
import dev.parma.attestation.evidence.AttestRequest.DataType;
import dev.parma.attestation.evidence.VerifiedEvidence;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.TcbParts;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * MAA's claim set for attestation type SevSnpVm (claim-sets.md; the real token in anchors maa-docs-milan-v1): the
 * same names, JSON types and lowercase hex. These are also the incoming claims the attestation policy sees.
 */
public final class SevSnpClaims {
    /** Our own claim: present (true) only when the evidence chains to a simulator root the deployment trusts. */
    public static final String SIMULATED = "x-parma-sevsnpvm-simulated";
    public static final String COMPLIANCE_STATUS = "x-ms-compliance-status";
    public static final String POLICY_HASH = "x-ms-policy-hash";
    public static final String RUNTIME = "x-ms-runtime";
    public static final String INITTIME = "x-ms-inittime";
    public static final String LAUNCH_MEASUREMENT = "x-ms-sevsnpvm-launchmeasurement";
    public static final String GUEST_SVN = "x-ms-sevsnpvm-guestsvn";

    private static final HexFormat HEX = HexFormat.of();

    private SevSnpClaims() {
    }

    /** The evidence claims (sorted by name, as MAA emits them); policy and time claims are added later. */
    public static Map<String, Object> of(VerifiedEvidence evidence, ObjectMapper json) {
        AttestationReport r = evidence.verified().report();
        TcbParts tcb = r.reportedTcb().parts(evidence.verified().product());
        Map<String, Object> c = new TreeMap<>();
        c.put("x-ms-ver", "1.0");
        c.put("x-ms-attestation-type", "sevsnpvm");
        c.put("x-ms-sevsnpvm-authorkeydigest", HEX.formatHex(r.authorKeyDigest()));
        c.put("x-ms-sevsnpvm-bootloader-svn", tcb.bootLoader());
        c.put("x-ms-sevsnpvm-familyId", HEX.formatHex(r.familyId()));
        c.put(GUEST_SVN, r.guestSvn());
        c.put("x-ms-sevsnpvm-hostdata", HEX.formatHex(r.hostData()));
        c.put("x-ms-sevsnpvm-idkeydigest", HEX.formatHex(r.idKeyDigest()));
        c.put("x-ms-sevsnpvm-imageId", HEX.formatHex(r.imageId()));
        c.put("x-ms-sevsnpvm-is-debuggable", r.policy().debug());
        c.put(LAUNCH_MEASUREMENT, HEX.formatHex(r.measurement()));
        c.put("x-ms-sevsnpvm-microcode-svn", tcb.microcode());
        c.put("x-ms-sevsnpvm-migration-allowed", r.policy().migrateMa());
        c.put("x-ms-sevsnpvm-reportdata", HEX.formatHex(r.reportData()));
        c.put("x-ms-sevsnpvm-reportid", HEX.formatHex(r.reportId()));
        c.put("x-ms-sevsnpvm-smt-allowed", r.policy().smt());
        c.put("x-ms-sevsnpvm-snpfw-svn", tcb.snp());
        c.put("x-ms-sevsnpvm-tee-svn", tcb.tee());
        c.put("x-ms-sevsnpvm-vmpl", r.vmpl());
        if (evidence.simulated()) {
            c.put(SIMULATED, true);
        }
        jsonClaim(evidence.request().runtimeData(), "runtimeData", json).ifPresent(v -> c.put(RUNTIME, v));
        jsonClaim(evidence.request().initTimeData(), "initTimeData", json).ifPresent(v -> c.put(INITTIME, v));
        evidence.request().nonce().ifPresent(n -> c.put("nonce", n));
        return c;
    }

    private static Optional<JsonNode> jsonClaim(Optional<BoundData> data, String field, ObjectMapper json) {
        if (data.isEmpty() || data.get().type() != DataType.JSON) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(data.get().bytes());
            if (node != null && node.isObject()) {
                return Optional.of(node);
            }
        } catch (IOException e) {
            // answered below
        }
        throw AttestationException.badRequest(INVALID_DATA, field + " has dataType JSON but its data is not a JSON "
                + "object.", field + ".data");
    }
}
