package dev.parma.policy.model;

import java.util.List;
import java.util.Objects;

/** A process the host may start in the UVM itself (exec_external). confcom never emits any. */
public record ExternalProcess(List<String> command, List<EnvRule> envRules, String workingDir,
        boolean allowStdioAccess) {

    public ExternalProcess {
        command = List.copyOf(command);
        envRules = List.copyOf(envRules);
        Objects.requireNonNull(workingDir, "workingDir");
    }
}
