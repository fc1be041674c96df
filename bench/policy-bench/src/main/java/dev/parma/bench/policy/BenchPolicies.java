package dev.parma.bench.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.parma.policy.engine.ContainerChecks;
import dev.parma.policy.engine.Decision;
import dev.parma.policy.engine.PolicyEngine;
import dev.parma.policy.engine.Request;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.EnvVar;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.spec.VolumeMount;

/** The policies the benchmarks run on, and requests a guest would send for one of their containers. */
final class BenchPolicies {

    static final String ENV_VARS = "confcom-env-vars";
    static final String SYNTHETIC_60 = "synthetic-60";
    static final String SANDBOX_DIR = "/run/gcs/c/" + "a".repeat(64) + "/sandboxMounts";

    private BenchPolicies() {
    }

    static Policy load(String name) {
        return switch (name) {
            case ENV_VARS -> Policies.fromBytes(resource("/confcom_sample_environment_variables_policy.rego"));
            case SYNTHETIC_60 -> synthetic(60);
            default -> throw new IllegalArgumentException("unknown policy " + name);
        };
    }

    /** A confcom-form policy for n containers, 3–5 layers each, env, volumes and an exec probe. */
    static Policy synthetic(int n) {
        List<ContainerSpec> specs = new ArrayList<>();
        Map<String, ImageInfo> images = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String image = "example.azurecr.io/svc" + i + ":1." + i;
            List<String> layers = new ArrayList<>();
            for (int l = 0; l < 3 + i % 3; l++) {
                layers.add(String.format("%064x", (long) i * 100 + l + 1));
            }
            images.put(image, new ImageInfo(image, Optional.of(List.of("/usr/bin/svc" + i)),
                    Optional.of(List.of("--port", Integer.toString(8000 + i))),
                    List.of("PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "SVC_HOME=/opt/svc" + i),
                    Optional.of("/opt/svc" + i), layers));
            specs.add(ContainerSpec.of("svc" + i, image)
                    .withEnv(List.of(EnvVar.plain("MODE", "prod"), EnvVar.plain("REGION", "westeurope"),
                            EnvVar.secure("API_KEY")))
                    .withMounts(List.of(new VolumeMount("data" + i, VolumeMount.VolumeKind.EMPTY_DIR, "/data", false),
                            new VolumeMount("cfg" + i, VolumeMount.VolumeKind.SECRET, "/etc/svc", true)))
                    .withExecCommands(List.of(List.of("/bin/sh", "-c", "health"))));
        }
        return PolicyGenerator.generatePolicy(new GroupSpec(specs), images, GenerateOptions.defaults());
    }

    /** The create_container request a guest sends for this policy container's init process. */
    static Request.CreateContainer create(Container c, String containerId) {
        List<String> env = new ArrayList<>();
        for (EnvRule r : c.envRules()) {
            if (r instanceof EnvRule.Whole w) {
                if (w.strategy() == MatchStrategy.STRING) {
                    env.add(w.pattern());
                } else if (w.required()) {
                    env.add(w.pattern().replace(".*", "secret").replace(".+", "v"));
                }
            }
        }
        env.add("HOSTNAME=svc");
        List<Request.Mount> mounts = new ArrayList<>();
        for (MountConstraint k : c.mounts()) {
            String src = SANDBOX_DIR
                    + k.source().substring(MountConstraint.SANDBOX_PREFIX.length()).replace(".+", "v1");
            mounts.add(new Request.Mount(k.destination(), src, k.type(), k.options()));
        }
        mounts.add(new Request.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(new Request.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755",
                "size=65536k")));
        Request.Process p = new Request.Process(c.command().orElse(List.of()), env, c.workingDir(), false,
                new Request.IdNameValue("0", "root"), List.of(new Request.IdNameValue("0", "root")), "0022",
                ContainerChecks.allowedCapabilities(c, false));
        return new Request.CreateContainer(containerId, p, mounts, SANDBOX_DIR, SANDBOX_DIR, false, "", List.of());
    }

    /** Mounts the container's layers and overlay for {@code containerId}, committing each step. */
    static void mountOverlay(PolicyEngine e, Container c, String containerId, int deviceBase) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < c.layers().size(); i++) {
            String target = "/run/mounts/scsi/m" + (deviceBase + i);
            allow(e.evaluate(new Request.MountDevice(target, c.layers().get(i)))).commit();
            paths.add(0, target);
        }
        allow(e.evaluate(new Request.MountOverlay(containerId, paths, "/run/gcs/c/" + containerId + "/rootfs")))
                .commit();
    }

    static Decision.Allow allow(Decision d) {
        if (d instanceof Decision.Allow a) {
            return a;
        }
        throw new IllegalStateException("benchmark setup expected allow: " + ((Decision.Deny) d).report().toJson());
    }

    private static byte[] resource(String path) {
        try (InputStream in = BenchPolicies.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
