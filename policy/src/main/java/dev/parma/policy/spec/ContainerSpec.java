package dev.parma.policy.spec;

import java.util.List;
import java.util.Optional;

import dev.parma.policy.Require;

/**
 * One container of a group.
 *
 * @param command overrides the image's entrypoint and cmd when present
 * @param workingDir overrides the image's working dir when present
 * @param execCommands processes that may be exec'd (e.g. exec probes)
 */
public record ContainerSpec(String name, String image, Optional<List<String>> command, List<EnvVar> env,
        List<VolumeMount> mounts, SecurityContext securityContext, Optional<String> workingDir,
        List<List<String>> execCommands) {

    public ContainerSpec {
        Require.nonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("container name must not be blank");
        }
        Require.nonNull(image, "image");
        if (image.isBlank()) {
            throw new IllegalArgumentException("container \"" + name + "\": image must not be blank");
        }
        command = Require.nonNull(command, "command").map(List::copyOf);
        env = Require.list(env, "env");
        mounts = Require.list(mounts, "mounts");
        Require.nonNull(securityContext, "securityContext");
        Require.nonNull(workingDir, "workingDir");
        execCommands = execCommands.stream().map(List::copyOf).toList();
    }

    /** A container with just a name and image; everything else from the image and defaults. */
    public static ContainerSpec of(String name, String image) {
        return new ContainerSpec(name, image, Optional.empty(), List.of(), List.of(), SecurityContext.DEFAULT,
                Optional.empty(), List.of());
    }

    public ContainerSpec withCommand(List<String> c) {
        return new ContainerSpec(name, image, Optional.of(c), env, mounts, securityContext, workingDir, execCommands);
    }

    public ContainerSpec withEnv(List<EnvVar> e) {
        return new ContainerSpec(name, image, command, e, mounts, securityContext, workingDir, execCommands);
    }

    public ContainerSpec withMounts(List<VolumeMount> m) {
        return new ContainerSpec(name, image, command, env, m, securityContext, workingDir, execCommands);
    }

    public ContainerSpec withSecurityContext(SecurityContext s) {
        return new ContainerSpec(name, image, command, env, mounts, s, workingDir, execCommands);
    }

    public ContainerSpec withWorkingDir(String w) {
        return new ContainerSpec(name, image, command, env, mounts, securityContext, Optional.of(w), execCommands);
    }

    public ContainerSpec withExecCommands(List<List<String>> e) {
        return new ContainerSpec(name, image, command, env, mounts, securityContext, workingDir, e);
    }
}
