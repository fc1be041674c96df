package dev.parma.attestation.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.api.AttestationErrors;
import dev.parma.attestation.api.AttestationException;
import dev.parma.attestation.config.AttestationConfig;
import dev.parma.attestation.evidence.AttestRequest;
import dev.parma.attestation.evidence.AttestRequestParser;
import dev.parma.attestation.evidence.EvidenceVerifier;
import dev.parma.attestation.evidence.UvmEndorsements;
import dev.parma.attestation.evidence.VerifiedEvidence;
import dev.parma.attestation.policy.AttestationPolicy;
import dev.parma.attestation.policy.PolicyHash;
import dev.parma.attestation.policy.PolicyStore;
import dev.parma.attestation.reference.ReferenceValues;
import dev.parma.attestation.token.Authority;
import dev.parma.attestation.token.SevSnpClaims;
import dev.parma.attestation.token.TokenIssuer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The SevSnpVm attestation path: decode the MAA request, verify the evidence (snp library), evaluate its UVM
 * endorsements, build MAA's claims, add the compliance status (a proven endorsement or a reference value), evaluate
 * the instance's policy (the provider's or a tenant's), sign as that instance.
 */
@ApplicationScoped
public class Attester {
    private final AttestRequestParser parser;
    private final EvidenceVerifier verifier;
    private final UvmEndorsements endorsements;
    private final int minimumSvn;
    private final PolicyStore policies;
    private final ReferenceValues references;
    private final TokenIssuer issuer;
    private final ObjectMapper json;
    private final Clock clock;

    Attester(AttestRequestParser parser, EvidenceVerifier verifier, UvmEndorsements endorsements,
            PolicyStore policies, ReferenceValues references, TokenIssuer issuer, ObjectMapper json, Clock clock,
            AttestationConfig config) {
        this.parser = parser;
        this.verifier = verifier;
        this.endorsements = endorsements;
        this.minimumSvn = config.reference().minimumSvn();
        this.policies = policies;
        this.references = references;
        this.issuer = issuer;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The token for an MAA {@code AttestSevSnpVmRequest} body, or a failed {@link Uni} with a 4xx
     * {@link AttestationException}. Called on an event-loop thread: when the request carries its VCEK chain and the
     * tenant's policy is in memory, the whole path is CPU only (about 1 ms) and runs right there, saving two thread
     * hand-offs per token; a KDS fetch (network, AMD's rate limit) or a policy read from PostgreSQL moves to a worker.
     */
    public Uni<String> attestSevSnpVm(Authority instance, byte[] body) {
        AttestRequest request;
        try {
            request = parser.parse(body);
        } catch (AttestationException e) {
            return Uni.createFrom().failure(e);
        }
        Uni<String> token = Uni.createFrom().item(() -> attest(instance, request));
        boolean cpuOnly = request.certificateChain().isPresent() && policies.isCached(instance.policyTenant(),
                PolicyStore.SEV_SNP_VM);
        return cpuOnly ? token : token.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private String attest(Authority instance, AttestRequest request) {
        // a draft policy that does not parse is refused before any expensive verification
        AttestationPolicy draftPolicy = request.draftPolicy().map(PolicyStore::parse).orElse(null);
        Instant now = clock.instant();
        VerifiedEvidence evidence = verifier.verify(request, now);
        var endorsed = endorsements.evaluate(request.uvmEndorsements(), evidence.verified().report(), now);
        Map<String, Object> claims = SevSnpClaims.of(evidence, json);
        // compliant: a proven endorsement of this MEASUREMENT (MAA's way) or an endorsed reference value
        if (endorsed.isPresent() && endorsed.get().svn() >= minimumSvn) {
            claims.put(SevSnpClaims.COMPLIANCE_STATUS, ReferenceValues.COMPLIANT_UVM);
        } else {
            references.complianceStatus((String) claims.get(SevSnpClaims.LAUNCH_MEASUREMENT)).ifPresent(s -> claims
                    .put(SevSnpClaims.COMPLIANCE_STATUS, s));
        }

        boolean draft = draftPolicy != null;
        AttestationPolicy policy;
        String hash;
        if (draft) {
            policy = draftPolicy;
            hash = PolicyHash.of(policy.text());
        } else {
            var stored = policies.current(instance.policyTenant(), PolicyStore.SEV_SNP_VM);
            policy = stored.policy();
            hash = stored.hash();
        }
        AttestationPolicy.Decision decision = policy.evaluate(claims);
        if (!decision.permitted()) {
            throw new AttestationException(403, AttestationErrors.POLICY_DENIED, "The attestation policy does not"
                    + " authorize this evidence: " + decision.reason() + ".",
                    draft
                            ? "draftPolicyForAttestation"
                            : null);
        }
        decision.issued().forEach(claims::putIfAbsent); // custom names only (ReservedClaims)
        claims.put(SevSnpClaims.POLICY_HASH, hash);
        return draft ? issuer.issueUnsigned(instance, claims) : issuer.issue(instance, claims);
    }
}
