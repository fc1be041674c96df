package dev.parma.policy.engine;

/**
 * Committing a decision found the state changed underneath it in a conflicting way (e.g. two concurrent mounts to
 * the same target). Nothing was applied; the caller must undo its host operation or re-evaluate.
 */
public final class StateConflictException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public StateConflictException(String message) {
        super(message);
    }
}
