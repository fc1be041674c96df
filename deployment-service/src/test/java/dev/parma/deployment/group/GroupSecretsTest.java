package dev.parma.deployment.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A group's write-only values never survive in text that leaves it, whether written plainly or base64-encoded. */
class GroupSecretsTest {

    static final String SPEC = """
            {"sku":"Confidential","containers":[{"name":"app","properties":{"image":"busybox",
              "environmentVariables":[{"name":"MODE","value":"demo"},{"name":"TOKEN","secureValue":"tok-123456"}],
              "resources":{"requests":{"cpu":1,"memoryInGB":1}}}}],
             "initContainers":[{"name":"init","properties":{"image":"busybox",
              "environmentVariables":[{"name":"SEED","secureValue":"seed-abc"}]}}],
             "volumes":[{"name":"cfg","secret":{"key":"%s"}},
              {"name":"share","azureFile":{"shareName":"s","storageAccountName":"a",
                "storageAccountKey":"acct-key-9"}}]}"""
            .formatted(b64("file-secret"));

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static GroupSecrets secrets() {
        return GroupSecrets.of(NodeWorkloadsTest.group(SPEC, null));
    }

    @Test
    void secureEnvValuesSecretVolumesAndStorageKeysAreScrubbedAndPlainValuesKept() {
        String scrubbed = secrets().scrub("env TOKEN=tok-123456 SEED=seed-abc MODE=demo key acct-key-9 file "
                + "file-secret (" + b64("file-secret") + ")");
        assertThat(scrubbed).doesNotContain("tok-123456", "seed-abc", "acct-key-9", "file-secret",
                b64("file-secret")).contains("TOKEN=<redacted>", "MODE=demo");
    }

    @Test
    void aPolicyDecisionIsScrubbedInsideItsBase64AndLeftAsItWasWhenClean() {
        String leaky = "invalid env list: TOKEN policyDecision< " + b64("{\"envList\":[\"TOKEN=tok-123456\"]}")
                + " >policyDecision";
        String scrubbed = secrets().scrub(leaky);
        String blob = scrubbed.substring(scrubbed.indexOf("< ") + 2, scrubbed.indexOf(" >"));
        assertThat(new String(Base64.getDecoder().decode(blob), StandardCharsets.UTF_8))
                .isEqualTo("{\"envList\":[\"TOKEN=<redacted>\"]}");

        String clean = "policyDecision< " + b64("{\"envList\":[\"TOKEN=<<redacted>>\"]}") + " >policyDecision";
        assertThat(secrets().scrub(clean)).isEqualTo(clean);
    }

    @Test
    void aGroupWithoutWriteOnlyValuesChangesNothing() {
        var none = GroupSecrets.of(NodeWorkloadsTest.group("""
                {"containers":[{"name":"app","properties":{"image":"busybox",
                "environmentVariables":[{"name":"MODE","value":"demo"}]}}]}""", null));
        assertThat(none.values()).isEmpty();
        assertThat(none.scrub("MODE=demo")).isEqualTo("MODE=demo");
    }
}
