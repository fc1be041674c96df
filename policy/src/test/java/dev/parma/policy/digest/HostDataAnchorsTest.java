package dev.parma.policy.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.parma.policy.Anchors;
import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;
import dev.parma.policy.model.PolicyForm;

/** Every line of hostdata_expected.txt: the anchor parses and its HOST_DATA matches. */
class HostDataAnchorsTest {

    static final String LEGACY_JSON_ALLOW_ALL = "{\"allow_all\":true,\"containers\":{\"length\":0,\"elements\":null}}";

    static Stream<Arguments> expectedLines() {
        List<Arguments> out = new ArrayList<>();
        for (String line : Anchors.text("hostdata_expected.txt").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            out.add(Arguments.of(parts[0], parts[1].strip()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("expectedLines")
    void everyExpectedLineMatches(String expectedHex, String subject) {
        switch (subject) {
            case "(inline JSON above; microsoft/CCF tests/infra DEFAULT_SNP_HOST_DATA)" -> {
                Policy p = Policies.fromText(LEGACY_JSON_ALLOW_ALL);
                assertThat(p.form()).isEqualTo(PolicyForm.LEGACY_JSON_ALLOW_ALL);
                assertThat(p.hostData().hex()).isEqualTo(expectedHex);
            }
            case "(base64 text, wrong input)" -> {
                // The counter-example: hashing the base64 string is NOT the HOST_DATA.
                String b64 = Anchors.text("csc_allow_all_policy_1.base64");
                assertThat(HostData.ofPolicyBytes(b64.getBytes(StandardCharsets.US_ASCII)).hex())
                        .isEqualTo(expectedHex);
                assertThat(HostData.ofBase64Policy(b64).hex()).isNotEqualTo(expectedHex);
            }
            default -> {
                Policy p = Anchors.policy(subject);
                assertThat(p.hostData().hex()).isEqualTo(expectedHex);
                assertThat(HostData.ofPolicyBytes(Anchors.bytes(subject)).hex()).isEqualTo(expectedHex);
            }
        }
    }

    @Test
    void base64AnchorsDecodeToTheRegoAnchors() {
        for (int i = 1; i <= 2; i++) {
            String b64 = Anchors.text("csc_allow_all_policy_" + i + ".base64");
            Policy fromB64 = Policies.fromBase64(b64);
            assertThat(fromB64.source()).isEqualTo(Anchors.bytes("csc_allow_all_policy_" + i + ".rego"));
            assertThat(fromB64.hostData()).isEqualTo(Anchors.policy("csc_allow_all_policy_" + i + ".rego").hostData());
        }
    }

    @Test
    void whitespaceMattersForLegacyJson() {
        String spaced = "{\"allow_all\": true, \"containers\": {\"length\": 0, \"elements\": null}}";
        assertThat(Policies.fromText(spaced).hostData())
                .isNotEqualTo(Policies.fromText(LEGACY_JSON_ALLOW_ALL).hostData());
        assertThat(Policies.fromText(spaced).hostData().hex())
                .startsWith("5c542a78").endsWith("0ce9");
    }

    @Test
    void hexAndBase64FormsRoundTrip() {
        HostData h = Anchors.policy(Anchors.ENV_VARS).hostData();
        assertThat(HostData.ofHex(h.hex())).isEqualTo(h);
        assertThat(HostData.ofHex(h.hex().toUpperCase())).isEqualTo(h);
        assertThat(h.matches(h.bytes())).isTrue();
        assertThat(h.matches(new byte[32])).isFalse();
        assertThat(h.matches(null)).isFalse();
    }

    @Test
    void badInputIsRejectedPrecisely() {
        assertThatThrownBy(() -> HostData.ofBase64Policy("not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> HostData.ofHex("abc")).hasMessageContaining("64 characters");
        assertThatThrownBy(() -> HostData.ofHex("z".repeat(64))).hasMessageContaining("not hexadecimal");
        assertThatThrownBy(() -> HostData.ofDigest(new byte[31])).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> HostData.ofPolicyBytes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decodedPolicy");
    }

    @Test
    void armTemplateCcePolicy_decodesToTheAnchorAndItsHostData() {
        dev.parma.policy.rego.Value arm = dev.parma.policy.rego.RegoParser
                .parseJson(Anchors.text("confcom_sample_existing_policy_arm_template.json"));
        String cce = findString(arm, "ccePolicy");
        Policy p = Policies.fromBase64(cce);
        assertThat(p.source()).isEqualTo(Anchors.bytes(Anchors.EXISTING));
        assertThat(HostData.ofBase64Policy(cce).hex())
                .isEqualTo("2c692a13bd6ac842a82a4e5ce11c9a9fe75fa876a4e8f275996f26cd90b8cf95");
    }

    private static String findString(dev.parma.policy.rego.Value v, String key) {
        if (v instanceof dev.parma.policy.rego.Value.Obj o) {
            if (o.get(key) instanceof dev.parma.policy.rego.Value.Str s) {
                return s.value();
            }
            for (dev.parma.policy.rego.Value c : o.members().values()) {
                String r = findString(c, key);
                if (r != null) {
                    return r;
                }
            }
        } else if (v instanceof dev.parma.policy.rego.Value.Arr a) {
            for (dev.parma.policy.rego.Value c : a.items()) {
                String r = findString(c, key);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }
}
