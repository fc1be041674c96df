package dev.parma.policy.preflight;

import java.util.List;

import dev.parma.policy.Require;

/** Verdicts per container of the group, in group order. */
public record PreflightReport(List<ContainerVerdict> containers) {

    public PreflightReport {
        containers = Require.list(containers, "containers");
    }

    public boolean allAllowed() {
        return containers.stream().allMatch(ContainerVerdict::allowed);
    }
}
