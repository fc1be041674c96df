package dev.parma.attestation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.attestation.policy.PolicyParser.PolicyException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
    static final Map<String, Object> CLAIMS = Map.of("x-ms-sevsnpvm-is-debuggable", false, "x-ms-sevsnpvm-guestsvn",
            2, "x-ms-attestation-type", "sevsnpvm", "x-ms-sevsnpvm-hostdata", "abcd");

    @Test
    void theDocumentedMinimalPolicyPermitsNonDebuggableGuests() throws Exception {
        var p = PolicyParser.parse(
                "version=1.0; authorizationrules { [type==\"x-ms-sevsnpvm-is-debuggable\", value==false] => permit(); };");
        assertThat(p.evaluate(CLAIMS).permitted()).isTrue();
        assertThat(p.evaluate(Map.of("x-ms-sevsnpvm-is-debuggable", true)).permitted()).isFalse();
        assertThat(p.evaluate(Map.of()).permitted()).as("missing claim").isFalse();
    }

    @Test
    void firstMatchingAuthorizationRuleDecides() throws Exception {
        var p = PolicyParser
                .parse("""
                        version= 1.0;
                        authorizationrules {
                            [type=="x-ms-sevsnpvm-guestsvn", value<2] => deny();
                            [type=="x-ms-attestation-type", value=="sevsnpvm"] && [type=="x-ms-sevsnpvm-guestsvn", value>=2] => permit();
                        };
                        """);
        assertThat(p.evaluate(CLAIMS).permitted()).isTrue();
        assertThat(p.evaluate(Map.of("x-ms-attestation-type", "sevsnpvm", "x-ms-sevsnpvm-guestsvn", 1)).reason())
                .contains("denied by authorization rule 1");
    }

    @Test
    void numbersCompareAsNumbersAndStringsDoNotOrder() throws Exception {
        assertThat(AttestationPolicy.compare(40, AttestationPolicy.Op.GE, new java.math.BigDecimal("40.0")))
                .isTrue();
        assertThat(AttestationPolicy.compare("40", AttestationPolicy.Op.EQ, new java.math.BigDecimal("40")))
                .isFalse();
        assertThatThrownBy(() -> PolicyParser.parse(
                "version=1.0; authorizationrules { [type==\"x\", value>=\"a\"] => permit(); };")).hasMessageContaining(
                        "compares numbers only");
    }

    @Test
    void issuanceRulesCopyBoundClaims() throws Exception {
        var p = PolicyParser.parse("""
                version=1.0;
                authorizationrules { => permit(); };
                issuancerules {
                    c:[type=="x-ms-sevsnpvm-hostdata"] => issue(type="hd", value=c.value);
                    c:[type=="absent"] => issue(type="never", value=c.value);
                };
                """);
        assertThat(p.evaluate(CLAIMS).issued()).containsExactly(Map.entry("hd", "abcd"));
    }

    @Test
    void reservedClaimsAreRefusedOnUploadAndNeverIssuedByAStoredPolicy() throws Exception {
        for (String claim : new String[]{"x-ms-compliance-status", "X-MS-Compliance-Status", "x-parma-anything", "iss",
                "EXP", "nonce", "cnf", " x-ms-ver"}) {
            String text = "version=1.0;\nauthorizationrules { => permit(); };\nissuancerules {\n  => issue(type=\""
                    + claim + "\", value=\"x\");\n  => issue(type=\"tier\", value=\"gold\");\n};";
            assertThatThrownBy(() -> PolicyParser.parse(text)).as(claim).hasMessageContaining("line 4, column 17")
                    .hasMessageContaining("is reserved for the attestation service");
            var stored = PolicyParser.parseStored(text);
            assertThat(stored.evaluate(CLAIMS).issued()).as(claim).containsExactly(Map.entry("tier", "gold"));
        }
        assertThat(ReservedClaims.isReserved("x-ms")).isFalse();
        assertThat(ReservedClaims.isReserved("issuer")).isFalse();
        assertThat(ReservedClaims.isReserved("policy-digest")).isFalse();
    }

    @Test
    void errorsNameLineAndColumn() {
        assertThatThrownBy(() -> PolicyParser.parse("version=2.0;")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("line 1, column 9").hasMessageContaining("version=1.0");
        assertThatThrownBy(() -> PolicyParser.parse("version=1.0;\nissuancerules { };"))
                .hasMessageContaining("no authorizationrules");
        assertThatThrownBy(
                () -> PolicyParser.parse("version=1.0;\nauthorizationrules {\n => issue(type=\"a\", value=1);\n};"))
                .hasMessageContaining("line 3, column 5");
        assertThatThrownBy(() -> PolicyParser.parse("version=1.0; authorizationrules { [type==\"x] => permit(); };"))
                .hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> PolicyParser.parse("version=1.0; authorizationrules { => permit() };"))
                .hasMessageContaining("expected ';'");
    }

    @Test
    void policyHashIsMaasFormula() {
        // BASE64URL(SHA256(UTF8(BASE64URL(UTF8(text))))): for "a", BASE64URL("a") = "YQ"
        assertThat(PolicyHash.of("a")).isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                sha256("YQ")));
    }

    static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
