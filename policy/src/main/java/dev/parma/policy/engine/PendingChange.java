package dev.parma.policy.engine;

import java.util.List;

/**
 * The state change of an allowed decision, applied only by {@link #commit()}. Operations are re-applied to the
 * engine's then-current state, so unrelated decisions may be committed in any order; a conflicting one (same key
 * added twice) fails with {@link StateConflictException} and applies nothing.
 */
public final class PendingChange {

    private final PolicyEngine engine;
    private final EnforcementPoint point;
    private final List<StateChange> changes;
    private boolean done;

    PendingChange(PolicyEngine engine, EnforcementPoint point, List<StateChange> changes) {
        this.engine = engine;
        this.point = point;
        this.changes = List.copyOf(changes);
    }

    /** Descriptions of the operations, e.g. {@code devices add /run/mounts/scsi/m0}. */
    public List<String> describe() {
        return changes.stream().map(StateChange::description).toList();
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public synchronized void commit() {
        if (done) {
            throw new IllegalStateException("decision already committed or aborted");
        }
        engine.apply(changes);
        done = true;
    }

    /**
     * Discards the change (the host operation failed). Idempotent. A failed unmount leaves the UVM in an unknown
     * state, so the engine then refuses every further mount and container creation (hcsshim's inconsistency latch).
     */
    public synchronized void abort() {
        if (!done && PolicyEngine.UNMOUNTS.contains(point)) {
            engine.latchInconsistent(point);
        }
        done = true;
    }
}
