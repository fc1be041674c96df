package dev.parma.policy.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.parma.policy.Anchors;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.model.Policy;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.EnvVar;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.spec.SecurityContext;
import dev.parma.policy.spec.VolumeMount;

class PreflightTest {

    static final String APP = "example.azurecr.io/app:1";
    static final ImageInfo APP_INFO = new ImageInfo(APP, Optional.of(List.of("/entry")), Optional.empty(),
            List.of("PATH=/bin"), Optional.empty(), List.of("a".repeat(64)));
    static final ContainerSpec SPEC = ContainerSpec.of("app", APP).withEnv(List.of(EnvVar.plain("MODE", "prod")))
            .withMounts(List.of(new VolumeMount("data", VolumeMount.VolumeKind.EMPTY_DIR, "/data", false)));

    static Policy strictPolicy() {
        return PolicyGenerator.generatePolicy(new GroupSpec(List.of(SPEC)), Map.of(APP, APP_INFO),
                GenerateOptions.defaults().withEnvDropping(false));
    }

    @Test
    void theGroupAPolicyWasGeneratedFrom_isAllowed() {
        PreflightReport r = Preflight.check(strictPolicy(), new GroupSpec(List.of(SPEC)), Map.of(APP, APP_INFO));
        assertThat(r.allAllowed()).as(r.toString()).isTrue();
        assertThat(r.containers().get(0).closestPolicyContainer()).contains("app");
    }

    @Test
    void eachDriftIsNamedByField() {
        Policy p = strictPolicy();
        ContainerSpec drifted = SPEC.withCommand(List.of("/other"))
                .withEnv(List.of(EnvVar.plain("MODE", "dev"), EnvVar.plain("EXTRA", "1")))
                .withMounts(List.of(new VolumeMount("data", VolumeMount.VolumeKind.EMPTY_DIR, "/data", true)))
                .withWorkingDir("/tmp")
                .withSecurityContext(
                        new SecurityContext(true, List.of("SYS_ADMIN"), List.of("CAP_CHOWN"), Optional.of(5L),
                                Optional.empty(), true));
        ContainerVerdict v = Preflight.check(p, new GroupSpec(List.of(drifted)), Map.of(APP, APP_INFO)).containers()
                .get(0);
        assertThat(v.allowed()).isFalse();
        assertThat(v.problems()).extracting(FieldProblem::field).contains("command", "workingDir", "env", "mounts",
                "securityContext.privileged", "securityContext.capabilities");
        assertThat(v.problems()).anySatisfy(f -> assertThat(f.toString())
                .isEqualTo("env: not allowed by any env rule: MODE,EXTRA"));
        assertThat(v.problems()).anySatisfy(f -> assertThat(f.toString()).contains("missing [CAP_CHOWN]"));
        assertThat(v.problems()).anySatisfy(f -> assertThat(f.toString()).contains("[/other]").contains("[/entry]"));
        assertThat(v.problems()).anySatisfy(f -> assertThat(f.toString()).contains("/data (ro)"));
    }

    @Test
    void wrongImageLayers_reportsLayersAndDeviceHashNotFound() {
        ImageInfo rebuilt = new ImageInfo(APP, Optional.of(List.of("/entry")), Optional.empty(), List.of("PATH=/bin"),
                Optional.empty(), List.of("c".repeat(64)));
        ContainerVerdict v = Preflight.check(strictPolicy(), new GroupSpec(List.of(SPEC)), Map.of(APP, rebuilt))
                .containers().get(0);
        assertThat(v.allowed()).isFalse();
        assertThat(v.problems()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("layers");
            assertThat(f.detail()).contains("deviceHash not found");
        });
    }

    @Test
    void withoutImageData_checksWhatTheSpecFixesAndSaysSo() {
        ContainerVerdict v = Preflight.check(strictPolicy(), new GroupSpec(List.of(SPEC)), Map.of()).containers()
                .get(0);
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("no image data"));
        // PATH comes from the image; without image data it is simply not in the request
        assertThat(v.allowed()).as(v.toString()).isTrue();
    }

    @Test
    void realPolicy_envDroppingReportedAsNote_andNullCommandAsProblem() {
        Policy envPolicy = Anchors.policy(Anchors.ENV_VARS);
        String image = "mcr.microsoft.com/azurelinux/distroless/base@sha256:"
                + "1e77d97e1e39f22ed9c52f49b3508b4c1044cec23743df9098ac44e025f654f2";
        ContainerSpec c = ContainerSpec.of("container1", image)
                .withEnv(List.of(EnvVar.plain("MY_VAR", "MY_VAL"), EnvVar.plain("UNLISTED", "1")));
        ContainerVerdict v = Preflight.check(envPolicy, new GroupSpec(List.of(c)), Map.of()).containers().get(0);
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("dropped silently: [UNLISTED]"));
        assertThat(v.problems()).extracting(FieldProblem::field).containsExactly("command");
    }
}
