package dev.parma.policy.model;

import java.util.List;

/** A process that may be exec'd in a running container, and the signals it may receive. */
public record ExecProcess(List<String> command, List<Integer> signals) {

    public ExecProcess {
        command = List.copyOf(command);
        signals = List.copyOf(signals);
    }
}
