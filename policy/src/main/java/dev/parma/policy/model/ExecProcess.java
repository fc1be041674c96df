package dev.parma.policy.model;

import java.util.List;

import dev.parma.policy.Require;

/** A process that may be exec'd in a running container, and the signals it may receive. */
public record ExecProcess(List<String> command, List<Integer> signals) {

    public ExecProcess {
        command = Require.list(command, "command");
        signals = Require.list(signals, "signals");
    }
}
