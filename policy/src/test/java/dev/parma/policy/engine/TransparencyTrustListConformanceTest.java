package dev.parma.policy.engine;

import static dev.parma.policy.engine.Assertions2.allowed;
import static dev.parma.policy.engine.Assertions2.denied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parma.policy.model.Policies;
import dev.parma.policy.rego.PolicySyntaxException;

/**
 * load_transparency_trust_list (API 0.12.0), after hcsshim's Test_Rego_LoadTransparencyTrustList*: a signed TTL
 * from (issuer, subject) at an SVN may contribute keys only for the ledgers the policy's transparency_trust_lists
 * allow it ("*" allows every ledger it carries).
 */
class TransparencyTrustListConformanceTest {

    static final String ISS = "did:x509:0:sha256:abc::eku:1.3.6.1.4.1.311.76.59.1.3";
    static final String SUBJECT = "contoso.azurecr.io/ttl";
    static final String LEDGER = "esrp-cts-dev.confidential-ledger.azure.com";

    static PolicyEngine engine(String minimumSvn, String... allowedLedgers) {
        String ledgers = String.join(", ", List.of(allowedLedgers).stream().map(l -> "\"" + l + "\"").toList());
        return PolicyEngine.load(Policies.fromText("package policy\napi_version := \"0.12.0\"\n"
                + "framework_version := \"0.3.0\"\n\ntransparency_trust_lists := [\n  {\n    \"issuer\": \"" + ISS
                + "\",\n    \"subject\": \"" + SUBJECT + "\",\n    \"minimum_svn\": " + minimumSvn
                + ",\n    \"allowed_ledgers\": [" + ledgers + "],\n  },\n]\n\n"
                + "load_transparency_trust_list := data.framework.load_transparency_trust_list\n"
                + "reason := data.framework.reason\n"));
    }

    static Request ttl(String issuer, String subject, long svn, String... ledgers) {
        return new Request.LoadTransparencyTrustList(issuer, subject, svn, List.of(ledgers));
    }

    @Test
    void load_transparency_trust_list_keepsOnlyTheLedgersThePolicyAllows() {
        Decision.Allow a = allowed(engine("1", LEDGER).evaluate(ttl(ISS, SUBJECT, 2, LEDGER,
                "unauthorized.ledger.example")));
        assertThat(a.allowedLedgers()).containsExactly(LEDGER);
        // a string minimum compares as a number too
        assertThat(allowed(engine("\"1\"", LEDGER).evaluate(ttl(ISS, SUBJECT, 1, LEDGER))).allowedLedgers())
                .containsExactly(LEDGER);
    }

    @Test
    void load_transparency_trust_list_wildcardAllowsEveryLedgerCarried_sorted() {
        Decision.Allow a = allowed(engine("1", "*").evaluate(ttl(ISS, SUBJECT, 1, "ledger.two.example",
                "ledger.one.example")));
        assertThat(a.allowedLedgers()).containsExactly("ledger.one.example", "ledger.two.example");
    }

    @Test
    void load_transparency_trust_list_noAuthorizedLedger_denied() {
        denied(engine("1", "only.this.ledger.example").evaluate(ttl(ISS, SUBJECT, 1, "some.other.ledger.example")),
                "The provided TTL does not contain any ledgers it is allowed to load");
    }

    @Test
    void load_transparency_trust_list_noMatchingCandidate_denied() {
        PolicyEngine e = engine("5", LEDGER);
        for (Request r : List.of(ttl(ISS, SUBJECT, 4, LEDGER), ttl("did:x509:0:sha256:other", SUBJECT, 9, LEDGER),
                ttl(ISS, "other/subject", 9, LEDGER))) {
            denied(e.evaluate(r), "no TTL candidate matches the provided TTL's issuer, subject and svn");
        }
        // a semver minimum never compares with a numeric SVN
        denied(engine("\"1.0.0\"", LEDGER).evaluate(ttl(ISS, SUBJECT, 9, LEDGER)), "no TTL candidate matches");
    }

    @Test
    void load_transparency_trust_list_olderPolicyOrConstantWithoutLedgers_denied() {
        PolicyEngine older = PolicyEngine.load(Policies.fromText("package policy\napi_version := \"0.11.0\"\n"
                + "framework_version := \"0.3.0\"\n"));
        denied(older.evaluate(ttl(ISS, SUBJECT, 1, LEDGER)), "predates load_transparency_trust_list");
        // hcsshim's guest refuses an allowed result that names no ledger (the open door's, for one)
        denied(PolicyEngine.load(OpenDoor.policy()).evaluate(ttl(ISS, SUBJECT, 1, LEDGER)),
                "transparency trust list carries no ledgers authorized by the policy");
        PolicyEngine constant = PolicyEngine.load(Policies.fromText("package policy\napi_version := \"0.12.0\"\n"
                + "load_transparency_trust_list := {\"allowed\": true, \"allowed_ledgers\": [\"" + LEDGER + "\"]}\n"));
        assertThat(allowed(constant.evaluate(ttl(ISS, SUBJECT, 1, LEDGER))).allowedLedgers()).containsExactly(
                LEDGER);
    }

    @Test
    void transparency_trust_lists_fieldsAreTypeChecked() {
        assertThatThrownBy(() -> Policies.fromText("package policy\napi_version := \"0.12.0\"\n"
                + "transparency_trust_lists := [{\"issuer\": \"i\", \"subject\": \"s\", \"minimum_svn\": 1}]\n"))
                .isInstanceOf(PolicySyntaxException.class)
                .hasMessageContaining("transparency_trust_lists[0]: missing field \"allowed_ledgers\"");
    }
}
