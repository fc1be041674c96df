package dev.parma.node.runtime;

/** An exec that will not run: the guest's policy said no ({@code policy}), or the container cannot take one. */
public final class ExecRefused extends Exception {

    private final boolean policy;

    public ExecRefused(String reason, boolean policy) {
        super(reason, null, false, false);
        this.policy = policy;
    }

    public boolean policy() {
        return policy;
    }
}
