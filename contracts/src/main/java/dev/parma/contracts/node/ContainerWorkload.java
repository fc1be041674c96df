package dev.parma.contracts.node;

import java.util.List;
import java.util.Objects;

/**
 * One container of a group as a node runs it: image, exec-form command, environment, requested resources, the
 * ports it exposes, the group volumes it mounts, its security context (null: {@link ContainerSecurity#DEFAULT}) and
 * its liveness and readiness probes (null: none).
 */
public record ContainerWorkload(
        String name,
        String image,
        List<String> command,
        List<EnvVar> environmentVariables,
        double cpu,
        double memoryInGB,
        List<ContainerPort> ports,
        List<VolumeMount> volumeMounts,
        ContainerSecurity securityContext,
        Probe liveness,
        Probe readiness) {

    public ContainerWorkload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        command = command == null ? List.of() : List.copyOf(command);
        environmentVariables = environmentVariables == null ? List.of() : List.copyOf(environmentVariables);
        ports = ports == null ? List.of() : List.copyOf(ports);
        volumeMounts = volumeMounts == null ? List.of() : List.copyOf(volumeMounts);
    }

    /** A container without ports, mounts or security context (the form before they were carried). */
    public ContainerWorkload(String name, String image, List<String> command, List<EnvVar> environmentVariables,
            double cpu, double memoryInGB) {
        this(name, image, command, environmentVariables, cpu, memoryInGB, null, null, null);
    }

    /** A container without probes. */
    public ContainerWorkload(String name, String image, List<String> command, List<EnvVar> environmentVariables,
            double cpu, double memoryInGB, List<ContainerPort> ports, List<VolumeMount> volumeMounts,
            ContainerSecurity securityContext) {
        this(name, image, command, environmentVariables, cpu, memoryInGB, ports, volumeMounts, securityContext, null,
                null);
    }

    /** The security context, or the default one. */
    public ContainerSecurity security() {
        return securityContext == null ? ContainerSecurity.DEFAULT : securityContext;
    }
}
