package dev.parma.contracts.node;

/** ACI's instanceView.state of a container group. */
public enum GroupRuntimeState {
    Pending, Running, Stopped, Succeeded, Failed
}
