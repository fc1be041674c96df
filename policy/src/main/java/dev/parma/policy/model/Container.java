package dev.parma.policy.model;

import java.util.List;
import java.util.Optional;

import dev.parma.policy.Require;

/**
 * One container a policy admits, with every field the framework reads. {@code name} and {@code id} are confcom's
 * labels (image reference), ignored by enforcement but used in messages and by pre-flight.
 *
 * @param command the init argv; empty when the policy says {@code null}, which matches no request
 * @param capabilities empty when the policy says {@code null}: the guest's defaults apply (see {@link LinuxDefaults})
 */
public record Container(Optional<String> name, Optional<String> id, List<String> layers,
        Optional<List<String>> command, List<EnvRule> envRules, String workingDir, List<MountConstraint> mounts,
        List<ExecProcess> execProcesses, List<Integer> signals, boolean allowElevated, boolean allowStdioAccess,
        boolean noNewPrivileges, UserRule user, Optional<CapabilitySets> capabilities, String seccompProfileSha256) {

    public Container {
        Require.nonNull(name, "name");
        Require.nonNull(id, "id");
        layers = Require.list(layers, "layers");
        command = Require.nonNull(command, "command").map(List::copyOf);
        envRules = Require.list(envRules, "envRules");
        Require.nonNull(workingDir, "workingDir");
        mounts = Require.list(mounts, "mounts");
        execProcesses = Require.list(execProcesses, "execProcesses");
        signals = Require.list(signals, "signals");
        Require.nonNull(user, "user");
        Require.nonNull(capabilities, "capabilities");
        Require.nonNull(seccompProfileSha256, "seccompProfileSha256");
    }

    /** A label for messages: the confcom name, else the image id, else the layer count. */
    public String label() {
        return name.or(() -> id).orElse("container with " + layers.size() + " layer(s)");
    }
}
