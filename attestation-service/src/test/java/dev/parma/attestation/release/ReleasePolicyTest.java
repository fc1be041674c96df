package dev.parma.attestation.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleasePolicyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Object> CLAIMS = Map.of("x-ms-attestation-type", "sevsnpvm",
            "x-ms-sevsnpvm-is-debuggable", false, "x-ms-sevsnpvm-vmpl", 0, "x-ms-isolation-tee", Map.of(
                    "x-ms-attestation-type", "sevsnpvm"),
            "x-ms-runtime", Map.of("keys", List.of()));

    static ReleasePolicy parse(String json) throws Exception {
        return ReleasePolicy.parse(JSON.readTree(json));
    }

    @Test
    void booleansAndNumbersMayBeStrings() throws Exception {
        var p = parse("{\"version\":\"1.0.0\",\"anyOf\":[{\"authority\":\"https://a/\",\"allOf\":["
                + "{\"claim\":\"x-ms-sevsnpvm-is-debuggable\",\"equals\":\"false\"},"
                + "{\"claim\":\"x-ms-sevsnpvm-vmpl\",\"equals\":\"0\"},"
                + "{\"claim\":\"x-ms-sevsnpvm-vmpl\",\"equals\":0}]}]}");
        assertThat(p.check(CLAIMS, "https://a", "https://p")).isEmpty();
        assertThat(p.check(CLAIMS, "https://b", "https://p")).get().asString().contains("authority");
    }

    @Test
    void dotPathsReachNestedClaims() throws Exception {
        var p = parse("{\"allOf\":[{\"claim\":\"x-ms-isolation-tee.x-ms-attestation-type\",\"equals\":\"sevsnpvm\"}]}");
        assertThat(p.check(CLAIMS, "i", "i")).isEmpty();
    }

    @Test
    void failuresNameTheClaim() throws Exception {
        var p = parse("{\"anyOf\":[{\"allOf\":[{\"claim\":\"x-ms-sevsnpvm-vmpl\",\"equals\":1}]},"
                + "{\"allOf\":[{\"claim\":\"missing\",\"equals\":true}]}]}");
        String why = p.check(CLAIMS, "i", "i").orElseThrow();
        assertThat(why).contains("'x-ms-sevsnpvm-vmpl' is 0").contains("'missing' is missing");
        var nested = parse("{\"allOf\":[{\"anyOf\":[{\"claim\":\"x-ms-runtime.keys\",\"equals\":\"[]\"}]}]}");
        assertThat(nested.check(CLAIMS, "i", "i")).get().asString().contains("x-ms-runtime.keys");
    }

    @Test
    void conditionsUnderNoAuthorityHoldOnlyForTheDefaultAuthority() throws Exception {
        var legacy = parse("{\"anyOf\":[{\"allOf\":[{\"claim\":\"x-ms-sevsnpvm-vmpl\",\"equals\":0}]}]}");
        assertThat(legacy.check(CLAIMS, "https://p/", "https://p")).isEmpty();
        assertThat(legacy.check(CLAIMS, "https://p/tenants/t", "https://p")).get().asString().contains(
                "not https://p");
        // a nested authority is inherited by everything below it
        var nested = parse("{\"anyOf\":[{\"authority\":\"https://p/tenants/t\",\"allOf\":[{\"anyOf\":["
                + "{\"claim\":\"x-ms-sevsnpvm-vmpl\",\"equals\":0}]}]}]}");
        assertThat(nested.check(CLAIMS, "https://p/tenants/t", "https://p")).isEmpty();
        assertThat(nested.check(CLAIMS, "https://p", "https://p")).get().asString().contains("authority");
    }

    @Test
    void newPoliciesNameAnAllowedAuthorityForEveryCondition() throws Exception {
        java.util.function.Predicate<String> ours = a -> a.equals("https://p") || a.equals("https://p/tenants/t");
        parse("{\"anyOf\":[{\"authority\":\"https://p\",\"allOf\":[{\"claim\":\"a\",\"equals\":1}]},"
                + "{\"authority\":\"https://p/tenants/t\",\"anyOf\":[{\"allOf\":[{\"claim\":\"a\",\"equals\":1}]}]}]}")
                .requireAuthorities(ours, "ours");
        assertThatThrownBy(() -> parse("{\"anyOf\":[{\"authority\":\"https://p\",\"allOf\":[{\"claim\":\"a\","
                + "\"equals\":1}]},{\"allOf\":[{\"claim\":\"b\",\"equals\":1}]}]}").requireAuthorities(ours,
                        "ours"))
                .hasMessageStartingWith("release_policy.anyOf[1] has no authority");
        assertThatThrownBy(() -> parse("{\"allOf\":[{\"claim\":\"b\",\"equals\":1}]}").requireAuthorities(ours,
                "ours")).hasMessageStartingWith("release_policy has no authority");
        assertThatThrownBy(() -> parse("{\"anyOf\":[{\"authority\":\"https://p\",\"allOf\":[{\"authority\":"
                + "\"https://p/tenants/u\",\"anyOf\":[{\"claim\":\"b\",\"equals\":1}]}]}]}").requireAuthorities(
                        ours, "ours"))
                .hasMessageStartingWith("release_policy.anyOf[0].allOf[0].authority 'https://p/tenants/u' is not");
    }

    @Test
    void onlyEqualsIsSupportedAndShapesAreChecked() {
        assertThatThrownBy(() -> parse("{\"allOf\":[{\"claim\":\"a\",\"greater\":1}]}")).hasMessageContaining(
                "only the 'equals' operator");
        assertThatThrownBy(() -> parse("{\"allOf\":[]}")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> parse("{\"allOf\":[{\"claim\":\"a\",\"equals\":1}],\"anyOf\":[]}"))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> parse("{\"allOf\":[{\"claim\":\"a\",\"equals\":{}}]}")).hasMessageContaining(
                "string, boolean or number");
    }
}
