package dev.parma.contracts.node;

import java.time.Instant;

/** ACI's ContainerState: {@code state} is Running, Waiting or Terminated. */
public record ContainerState(String state, Instant startTime, Integer exitCode, Instant finishTime,
        String detailStatus) {

    public static ContainerState running(Instant startTime) {
        return new ContainerState("Running", startTime, null, null, null);
    }

    public static ContainerState waiting(String detail) {
        return new ContainerState("Waiting", null, null, null, detail);
    }

    public static ContainerState terminated(Instant startTime, int exitCode, Instant finishTime, String detail) {
        return new ContainerState("Terminated", startTime, exitCode, finishTime, detail);
    }
}
