package dev.parma.policy.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.parma.policy.Require;

/** A container group: its containers, in order. Names must be unique and non-blank. */
public record GroupSpec(List<ContainerSpec> containers) {

    public GroupSpec {
        containers = Require.list(containers, "containers");
        Set<String> names = new HashSet<>();
        for (ContainerSpec c : containers) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate container name \"" + c.name() + "\"");
            }
        }
    }
}
