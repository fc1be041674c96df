package dev.parma.policy.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.parma.policy.model.Policy;
import dev.parma.policy.model.TransparencyTrustList;

/**
 * load_transparency_trust_list (API 0.12.0): the policy's transparency_trust_lists entries for the TTL's issuer and
 * subject whose minimum SVN it meets authorise ledgers; the TTL may contribute keys for the ledgers it carries that
 * they authorise ({@code "*"}: all it carries). No state changes: the keys are the caller's to keep.
 */
final class TransparencyTrustListRule {

    static final String NO_CANDIDATE = "no TTL candidate matches the provided TTL's issuer, subject and svn";
    static final String NO_LEDGER = "The provided TTL does not contain any ledgers it is allowed to load";

    private TransparencyTrustListRule() {
    }

    static Outcome evaluate(Request.LoadTransparencyTrustList x, Policy policy) {
        boolean matched = false;
        Set<String> authorised = new TreeSet<>();
        for (TransparencyTrustList t : policy.transparencyTrustLists()) {
            if (t.issuer().equals(x.issuer()) && t.subject().equals(x.subject())
                    && FragmentRule.svnOk(Long.toString(x.svn()), t.minimumSvn()) == FragmentRule.SvnCheck.OK) {
                matched = true;
                authorised.addAll(t.allowedLedgers());
            }
        }
        if (!matched) {
            return Outcome.deny(NO_CANDIDATE);
        }
        // A set in Rego: sorted, no duplicates.
        Set<String> allowed = new TreeSet<>(x.ledgers());
        if (!authorised.contains("*")) {
            allowed.retainAll(authorised);
        }
        if (allowed.isEmpty()) {
            return Outcome.deny(NO_LEDGER);
        }
        return new Outcome(true, Optional.empty(), Optional.empty(), false, false,
                List.copyOf(allowed), List.of(), List.of());
    }
}
