package dev.parma.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.parma.policy.Anchors;
import dev.parma.policy.engine.EnforcementPoint;
import dev.parma.policy.generate.PolicyWriter;

/** The real policies read into the model with every field. */
class AnchorModelTest {

    @ParameterizedTest
    @ValueSource(strings = {Anchors.ENV_VARS, Anchors.VOLUME_MOUNTS, Anchors.MINIMAL_DEBUG, Anchors.TEMPLATE_OUTPUT,
            Anchors.EXISTING, Anchors.ALLOW_ALL_1, Anchors.ALLOW_ALL_2})
    void everyAnchorParsesAndBindsEveryApi0100Point(String anchor) {
        Policy p = Anchors.policy(anchor);
        assertThat(p.form()).isEqualTo(PolicyForm.REGO);
        assertThat(p.apiVersion()).isPresent();
        for (EnforcementPoint ep : EnforcementPoint.values()) {
            if (ep.inApi0100()) {
                assertThat(p.rules()).as(ep.ruleName()).containsKey(ep.ruleName());
            }
        }
    }

    @Test
    void environmentVariablesPolicy_everyField() {
        Policy p = Anchors.policy(Anchors.ENV_VARS);
        assertThat(p.apiVersion()).contains(Semver.parse("0.10.0"));
        assertThat(p.frameworkVersion()).contains(Semver.parse("0.2.3"));
        assertThat(p.imports()).containsExactly("future.keywords.every", "future.keywords.in");
        assertThat(p.fragments()).containsExactly(new FragmentRef(
                "did:x509:0:sha256:I__iuL25oXEVFdTP_aBLx_eT1RPHbCQ_ECBQfYZpt9s::eku:1.3.6.1.4.1.311.76.59.1.3",
                "mcr.microsoft.com/aci/aci-cc-infra-fragment", "1", List.of("containers", "fragments")));
        assertThat(p.flags()).isEqualTo(new Flags(true, false, false, true, false, true, false));
        assertThat(p.reason()).contains(ReasonRule.ERRORS);
        assertThat(p.containers()).hasSize(2);
        Container c = p.containers().get(0);
        assertThat(c.name()).contains("container1");
        assertThat(c.id()).hasValueSatisfying(id -> assertThat(id).startsWith("mcr.microsoft.com/azurelinux"));
        assertThat(c.layers()).containsExactly("243e1b3ce08093f2f0d9cd6a9eafde8737f64fec105ed59c346d309fbe760b58");
        assertThat(c.command()).isEmpty();
        assertThat(c.envRules()).hasSize(12)
                .startsWith(new EnvRule.Whole("MY_VAR=MY_VAL", MatchStrategy.STRING, false))
                .contains(new EnvRule.Whole("(?i)(FABRIC)_.+=.+", MatchStrategy.RE2, false));
        assertThat(c.workingDir()).isEqualTo("/");
        assertThat(c.mounts()).containsExactly(new MountConstraint("/etc/resolv.conf",
                "sandbox:///tmp/atlas/resolvconf/.+", "bind", List.of("rbind", "rshared", "rw")));
        assertThat(c.execProcesses()).isEmpty();
        assertThat(c.signals()).isEmpty();
        assertThat(c.allowElevated()).isFalse();
        assertThat(c.allowStdioAccess()).isTrue();
        assertThat(c.noNewPrivileges()).isFalse();
        assertThat(c.user()).isEqualTo(UserRule.DEFAULT);
        assertThat(c.capabilities()).hasValueSatisfying(
                caps -> assertThat(caps.bounding())
                        .containsExactlyInAnyOrderElementsOf(LinuxDefaults.UNPRIVILEGED_CAPABILITIES));
        assertThat(c.seccompProfileSha256()).isEmpty();
        Container pause = p.containers().get(1);
        assertThat(pause.command()).contains(List.of("/pause"));
        assertThat(pause.envRules().get(0).required()).isTrue();
    }

    @Test
    void volumeMountsPolicy_api0110WithRwMountDeviceAndSignals() {
        Policy p = Anchors.policy(Anchors.VOLUME_MOUNTS);
        assertThat(p.apiVersion()).contains(Semver.parse("0.11.0"));
        assertThat(p.rules()).containsEntry("rw_mount_device", new RuleBinding.Framework("rw_mount_device"));
        assertThat(p.containers().get(0).signals()).containsExactly(9, 15);
        assertThat(p.fragments().get(0).minimumSvn()).isEqualTo("4");
    }

    @Test
    void templateOutputPolicy_olderFormWithNumericSvnAndDefaults() {
        Policy p = Anchors.policy(Anchors.TEMPLATE_OUTPUT);
        assertThat(p.fragments().get(0).minimumSvn()).isEqualTo("1");
        Container c = p.containers().get(0);
        assertThat(c.allowElevated()).isTrue();
        assertThat(c.command()).contains(List.of("bash"));
        assertThat(c.layers()).hasSize(6);
        assertThat(c.user()).isEqualTo(UserRule.DEFAULT);
        assertThat(c.capabilities()).isEmpty();
        assertThat(p.flags().allowCapabilityDropping()).isFalse();
    }

    @Test
    void debugPolicy_execProcessesAndDiagnostics() {
        Policy p = Anchors.policy(Anchors.MINIMAL_DEBUG);
        assertThat(p.flags().allowDumpStacks()).isTrue();
        assertThat(p.flags().allowRuntimeLogging()).isTrue();
        assertThat(p.containers().get(0).execProcesses()).extracting(ExecProcess::command)
                .contains(List.of("/bin/sh"), List.of("/bin/bash"));
    }

    @Test
    void allowAllPolicies_constantBindingsAndDeprecatedSvnNames() {
        Policy p1 = Anchors.policy(Anchors.ALLOW_ALL_1);
        assertThat(p1.apiVersion()).contains(Semver.parse("0.10.0"));
        assertThat(p1.frameworkVersion()).isEmpty();
        assertThat(p1.reason()).isEmpty();
        assertThat(p1.rules().values()).allSatisfy(r -> assertThat(((RuleBinding.Constant) r).allowed()).isTrue());
        Policy p2 = Anchors.policy(Anchors.ALLOW_ALL_2);
        assertThat(p2.frameworkVersion()).contains(Semver.parse("0.1.0"));
    }

    @Test
    void writerReproducesConfcomBytes_forTheEnvironmentVariablesPolicy() {
        Policy p = Anchors.policy(Anchors.ENV_VARS);
        String written = PolicyWriter.write(new PolicyWriter.Draft(p.apiVersion().get(), p.frameworkVersion().get(),
                p.fragments(), p.containers(), p.externalProcesses(), p.flags()));
        assertThat(written).isEqualTo(p.sourceText());
    }

    @Test
    void legacyJsonWithContainers_convertedWithDefaults() {
        String json = "{\"allow_all\":false,\"containers\":{\"length\":1,\"elements\":{\"0\":{"
                + "\"command\":{\"length\":1,\"elements\":{\"0\":\"/app\"}},"
                + "\"env_rules\":{\"length\":1,\"elements\":{\"0\":{\"strategy\":\"string\",\"rule\":\"A=1\"}}},"
                + "\"layers\":{\"length\":1,\"elements\":{\"0\":\"" + "ab".repeat(32) + "\"}},"
                + "\"working_dir\":\"/\",\"allow_elevated\":false}}}}";
        Policy p = Policies.fromText(json);
        assertThat(p.form()).isEqualTo(PolicyForm.LEGACY_JSON);
        Container c = p.containers().get(0);
        assertThat(c.command()).contains(List.of("/app"));
        assertThat(c.allowStdioAccess()).isTrue();
        assertThat(c.user()).isEqualTo(UserRule.DEFAULT);
        assertThat(c.capabilities()).isEmpty();
        assertThat(c.envRules()).containsExactly(new EnvRule.Whole("A=1", MatchStrategy.STRING, false));
    }
}
