package dev.parma.policy.preflight;

import java.util.List;

/** Verdicts per container of the group, in group order. */
public record PreflightReport(List<ContainerVerdict> containers) {

    public PreflightReport {
        containers = List.copyOf(containers);
    }

    public boolean allAllowed() {
        return containers.stream().allMatch(ContainerVerdict::allowed);
    }
}
