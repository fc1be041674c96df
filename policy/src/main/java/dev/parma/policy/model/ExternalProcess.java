package dev.parma.policy.model;

import java.util.List;

import dev.parma.policy.Require;

/** A process the host may start in the UVM itself (exec_external). confcom never emits any. */
public record ExternalProcess(List<String> command, List<EnvRule> envRules, String workingDir,
        boolean allowStdioAccess) {

    public ExternalProcess {
        command = Require.list(command, "command");
        envRules = Require.list(envRules, "envRules");
        Require.nonNull(workingDir, "workingDir");
    }
}
