package dev.parma.policy.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.parma.policy.Anchors;
import dev.parma.policy.engine.ContainerChecks;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.IdName;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.Policy;
import dev.parma.policy.model.Semver;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.EnvVar;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.spec.SecurityContext;
import dev.parma.policy.spec.VolumeMount;

class PolicyGeneratorTest {

    static final String DISTROLESS = "mcr.microsoft.com/azurelinux/distroless/base@sha256:"
            + "1e77d97e1e39f22ed9c52f49b3508b4c1044cec23743df9098ac44e025f654f2";
    static final ImageInfo DISTROLESS_INFO = new ImageInfo(DISTROLESS, Optional.empty(), Optional.empty(),
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(),
            List.of("243e1b3ce08093f2f0d9cd6a9eafde8737f64fec105ed59c346d309fbe760b58"));

    @Test
    void reproducesConfcomsVolumeMountsSampleByteForByte() {
        // the ARM input of the sample (confcom_sample_volume_mounts_arm_template_input.json), as a group spec
        GroupSpec group = new GroupSpec(List.of(ContainerSpec.of("container1", DISTROLESS).withMounts(
                List.of(new VolumeMount("filesharevolume", VolumeMount.VolumeKind.AZURE_FILE, "/aci/logs", false)))));
        String text = PolicyGenerator.generate(group, Map.of(DISTROLESS, DISTROLESS_INFO), GenerateOptions.defaults());
        assertThat(text).isEqualTo(Anchors.text(Anchors.VOLUME_MOUNTS));
        assertThat(PolicyGenerator.generatePolicy(group, Map.of(DISTROLESS, DISTROLESS_INFO),
                GenerateOptions.defaults()).hostData().hex())
                .isEqualTo("3c81e5062cdb427fdb2ba5b3c2778652f6b94d17a7b3c98ae7f6c48286f33656");
    }

    static final String APP = "example.azurecr.io/app:1";
    static final ImageInfo APP_INFO = new ImageInfo(APP, Optional.of(List.of("/entry")), Optional.of(List.of("--x")),
            List.of("PATH=/bin", "MODE=image"), Optional.of("/srv"), List.of("a".repeat(64), "b".repeat(64)));

    static GroupSpec richGroup() {
        return new GroupSpec(List.of(ContainerSpec.of("app", APP)
                .withEnv(List.of(EnvVar.plain("MODE", "spec"), EnvVar.secure("DB_PASSWORD")))
                .withMounts(List.of(new VolumeMount("data", VolumeMount.VolumeKind.EMPTY_DIR, "/data", false),
                        new VolumeMount("sec", VolumeMount.VolumeKind.SECRET, "/secrets", true)))
                .withSecurityContext(new SecurityContext(false, List.of("sys_admin"), List.of("CAP_NET_RAW"),
                        Optional.of(1000L), Optional.of(2000L), false))
                .withExecCommands(List.of(List.of("/bin/health"))),
                ContainerSpec.of("sidecar", APP).withCommand(List.of("/sidecar"))
                        .withSecurityContext(new SecurityContext(true, List.of(), List.of(), Optional.empty(),
                                Optional.empty(), true))));
    }

    @Test
    void everySpecFieldLandsInThePolicy_andTheTextParsesBackStably() {
        Map<String, ImageInfo> images = Map.of(APP, APP_INFO);
        Policy p = PolicyGenerator.generatePolicy(richGroup(), images, GenerateOptions.defaults().withDebugMode(true));
        assertThat(PolicyGenerator.generatePolicy(richGroup(), images, GenerateOptions.defaults().withDebugMode(true))
                .hostData()).isEqualTo(p.hostData());
        assertThat(p.containers()).hasSize(3);
        Container app = p.containers().get(0);
        assertThat(app.command()).contains(List.of("/entry", "--x"));
        assertThat(app.workingDir()).isEqualTo("/srv");
        assertThat(app.layers()).containsExactly("a".repeat(64), "b".repeat(64));
        assertThat(app.envRules()).startsWith(new EnvRule.Whole("MODE=spec", MatchStrategy.STRING, false),
                new EnvRule.Whole("DB_PASSWORD=.*", MatchStrategy.RE2, true),
                new EnvRule.Whole("PATH=/bin", MatchStrategy.STRING, false));
        assertThat(app.envRules()).doesNotContain(new EnvRule.Whole("MODE=image", MatchStrategy.STRING, false));
        assertThat(app.mounts()).extracting(m -> m.destination() + " " + m.source() + " " + m.options())
                .containsExactly("/data sandbox:///tmp/atlas/emptydir/.+ [rbind, rshared, rw]",
                        "/secrets sandbox:///tmp/atlas/secretsVolume/.+ [rbind, rshared, ro]",
                        "/etc/resolv.conf sandbox:///tmp/atlas/resolvconf/.+ [rbind, rshared, rw]");
        assertThat(app.noNewPrivileges()).isTrue();
        assertThat(app.user().user()).isEqualTo(new IdName("1000", IdName.Strategy.ID));
        assertThat(app.user().groups()).containsExactly(new IdName("2000", IdName.Strategy.ID));
        assertThat(app.capabilities().orElseThrow().bounding()).contains("CAP_SYS_ADMIN").doesNotContain("CAP_NET_RAW");
        assertThat(app.capabilities().orElseThrow().inheritable()).isEmpty();
        assertThat(app.execProcesses()).extracting(e -> e.command())
                .containsExactly(List.of("/bin/health"), List.of("/bin/sh"), List.of("/bin/bash"));
        assertThat(p.flags().allowDumpStacks()).isTrue();
        Container sidecar = p.containers().get(1);
        assertThat(sidecar.allowElevated()).isTrue();
        assertThat(sidecar.command()).contains(List.of("/sidecar"));
        assertThat(sidecar.capabilities().orElseThrow().inheritable()).hasSize(41);
        assertThat(p.containers().get(2).command()).contains(List.of("/pause"));
        assertThat(ContainerChecks.envMatches(app.envRules().get(1), "DB_PASSWORD=s3cr3t")).isTrue();
        assertThat(ContainerChecks.envMatches(app.envRules().get(1), "XDB_PASSWORD=s3cr3t")).isFalse();
    }

    @Test
    void differentInputGivesDifferentHostData() {
        Map<String, ImageInfo> images = Map.of(APP, APP_INFO);
        assertThat(PolicyGenerator.generatePolicy(richGroup(), images, GenerateOptions.defaults()).hostData())
                .isNotEqualTo(PolicyGenerator.generatePolicy(richGroup(), images,
                        GenerateOptions.defaults().withEnvDropping(false)).hostData());
    }

    @Test
    void badInputIsRejectedPrecisely() {
        assertThatThrownBy(() -> PolicyGenerator.generate(richGroup(), Map.of(), GenerateOptions.defaults()))
                .hasMessageContaining("container \"app\": no image data for " + APP);
        assertThatThrownBy(() -> new ImageInfo("x", Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                List.of("XYZ"))).hasMessageContaining("layer 0: not a lowercase 64-hex");
        assertThatThrownBy(() -> new GroupSpec(List.of(ContainerSpec.of("a", "i"), ContainerSpec.of("a", "j"))))
                .hasMessageContaining("duplicate container name");
        assertThatThrownBy(() -> EnvVar.plain("A=B", "c")).hasMessageContaining("invalid environment variable name");
        assertThatThrownBy(() -> Semver.parse("1.2")).hasMessageContaining("MAJOR.MINOR.PATCH");
    }
}
