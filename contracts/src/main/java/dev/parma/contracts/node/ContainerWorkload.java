package dev.parma.contracts.node;

import java.util.List;
import java.util.Objects;

/** One container of a group as a node runs it: image, exec-form command, environment and requested resources. */
public record ContainerWorkload(
        String name,
        String image,
        List<String> command,
        List<EnvVar> environmentVariables,
        double cpu,
        double memoryInGB) {

    public ContainerWorkload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        command = command == null ? List.of() : List.copyOf(command);
        environmentVariables = environmentVariables == null ? List.of() : List.copyOf(environmentVariables);
    }
}
