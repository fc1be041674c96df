package dev.parma.attestation.evidence;

import static dev.parma.attestation.api.AttestationErrors.INVALID_UVM_ENDORSEMENT;
import static dev.parma.attestation.api.AttestationErrors.INVALID_UVM_ENDORSEMENT_SIGNATURE;
import static dev.parma.attestation.api.AttestationErrors.UNTRUSTED_UVM_ENDORSEMENT;
import static dev.parma.attestation.api.AttestationErrors.UVM_ENDORSEMENT_MISMATCH;
import static dev.parma.attestation.api.AttestationErrors.UVM_ENDORSEMENT_NOT_VALID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.api.AttestationException;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.cose.CoseException;
import dev.parma.snp.cose.CoseSign1;
import dev.parma.snp.cose.TrustedSigners;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the UVM endorsements of a request ({@code Endorsements.Uvm}: COSE_Sign1 documents whose payload is
 * {@code {"x-ms-sevsnpvm-guestsvn", "x-ms-sevsnpvm-launchmeasurement"}}, as ACI sends them). Each must be signed by a
 * configured trusted signer (snp's {@link TrustedSigners}) and endorse the report's MEASUREMENT; otherwise the
 * request is refused with a precise code. Without configured signers endorsements are not evaluated (ignoring one
 * can only withhold compliance, never grant it). A fleet sends the same endorsement bytes for every guest, so proven
 * endorsements are cached by their SHA-256.
 */
public final class UvmEndorsements {
    private static final int CACHE_MAX = 1024;
    private static final HexFormat HEX = HexFormat.of();

    /** A proven endorsement: who signed that {@code launchMeasurement} (lowercase hex) has security version svn. */
    public record EndorsedUvm(String launchMeasurement, int svn, String signer, Optional<String> feed,
            Instant validUntil) {
    }

    private final Optional<TrustedSigners> signers;
    private final ObjectMapper json;
    private final Map<String, EndorsedUvm> proven = new ConcurrentHashMap<>();

    public UvmEndorsements(List<X509Certificate> trustedSigners, ObjectMapper json) {
        this.signers = trustedSigners.isEmpty() ? Optional.empty() : Optional.of(TrustedSigners.of(trustedSigners));
        this.json = json;
    }

    public boolean enabled() {
        return signers.isPresent();
    }

    /**
     * The endorsement of the report's MEASUREMENT, if the request carries any (all must prove and match); empty when
     * there is none or no signer is configured.
     */
    public Optional<EndorsedUvm> evaluate(List<byte[]> endorsements, AttestationReport report, Instant now) {
        if (signers.isEmpty() || endorsements.isEmpty()) {
            return Optional.empty();
        }
        String measurement = HEX.formatHex(report.measurement());
        EndorsedUvm best = null;
        for (int i = 0; i < endorsements.size(); i++) {
            String target = "report.Endorsements.Uvm[" + i + "]";
            EndorsedUvm e = prove(endorsements.get(i), now, target);
            if (!e.launchMeasurement().equals(measurement)) {
                throw AttestationException.badRequest(UVM_ENDORSEMENT_MISMATCH, "The UVM endorsement is for launch"
                        + " measurement " + e.launchMeasurement() + " but the report's MEASUREMENT is " + measurement
                        + ".", target);
            }
            if (best == null || e.svn() > best.svn()) {
                best = e;
            }
        }
        return Optional.of(best);
    }

    private EndorsedUvm prove(byte[] cose, Instant now, String target) {
        String key = HEX.formatHex(EvidenceVerifier.sha256(cose));
        EndorsedUvm cached = proven.get(key);
        if (cached != null && !now.isAfter(cached.validUntil())) {
            return cached;
        }
        EndorsedUvm fresh = proveUncached(cose, now, target);
        if (proven.size() >= CACHE_MAX) {
            proven.clear(); // a fleet has a handful of UVM versions
        }
        proven.put(key, fresh);
        return fresh;
    }

    private EndorsedUvm proveUncached(byte[] cose, Instant now, String target) {
        CoseSign1 message;
        TrustedSigners.Signer signer;
        try {
            message = CoseSign1.parse(cose);
            signer = signers.orElseThrow().verify(message, now);
        } catch (CoseException e) {
            throw refused(e, target);
        }
        JsonNode payload;
        try {
            payload = json.readTree(message.payload());
        } catch (IOException e) {
            payload = null;
        }
        if (payload == null || !payload.isObject()) {
            throw AttestationException.badRequest(INVALID_UVM_ENDORSEMENT, "The UVM endorsement's payload is not a"
                    + " JSON object.", target);
        }
        String m = payload.path("x-ms-sevsnpvm-launchmeasurement").asText("").toLowerCase(Locale.ROOT);
        if (!m.matches("[0-9a-f]{96}")) {
            throw AttestationException.badRequest(INVALID_UVM_ENDORSEMENT, "The UVM endorsement's"
                    + " x-ms-sevsnpvm-launchmeasurement is not 96 hex digits.", target);
        }
        JsonNode svnNode = payload.path("x-ms-sevsnpvm-guestsvn");
        int svn;
        try {
            // ACI writes it as a string ("22"); accept a number too
            svn = svnNode.isIntegralNumber() ? svnNode.intValue() : Integer.parseInt(svnNode.asText());
        } catch (NumberFormatException e) {
            svn = -1;
        }
        if (svn < 0) {
            throw AttestationException.badRequest(INVALID_UVM_ENDORSEMENT, "The UVM endorsement's"
                    + " x-ms-sevsnpvm-guestsvn is not a non-negative integer.", target);
        }
        Optional<String> feed;
        try {
            feed = TrustedSigners.text(message, "feed");
        } catch (CoseException e) {
            throw refused(e, target);
        }
        Instant validUntil = signer.signingTime().isPresent()
                ? Instant.MAX
                : signer.chain().stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo)
                        .orElse(now);
        return new EndorsedUvm(m, svn, signer.chain().get(0).getSubjectX500Principal().getName(), feed,
                validUntil);
    }

    private static AttestationException refused(CoseException e, String target) {
        String code = switch (e.reason()) {
            case MALFORMED, UNSUPPORTED_ALGORITHM -> INVALID_UVM_ENDORSEMENT;
            case UNTRUSTED_SIGNER, ISSUER_MISMATCH -> UNTRUSTED_UVM_ENDORSEMENT;
            case CERTIFICATE_NOT_VALID -> UVM_ENDORSEMENT_NOT_VALID;
            case BAD_SIGNATURE -> INVALID_UVM_ENDORSEMENT_SIGNATURE;
        };
        return AttestationException.badRequest(code, "The UVM endorsement is refused: " + e.getMessage() + ".",
                target);
    }
}
