package dev.parma.contracts.node;

/** ACI's container instanceView as a node reports it. */
public record ContainerStatus(String name, ContainerState currentState, ContainerState previousState,
        int restartCount) {
}
