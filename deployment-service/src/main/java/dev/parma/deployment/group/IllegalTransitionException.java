package dev.parma.deployment.group;

/** An event that is not legal in the group's current phase (e.g. start while running, stop while deleting). */
public class IllegalTransitionException extends RuntimeException {

    private final GroupPhase phase;
    private final LifecycleEvent event;

    public IllegalTransitionException(GroupPhase phase, LifecycleEvent event) {
        super("'" + event.getClass().getSimpleName() + "' is not allowed while the container group is "
                + phase.name());
        this.phase = phase;
        this.event = event;
    }

    public GroupPhase phase() {
        return phase;
    }

    public LifecycleEvent event() {
        return event;
    }
}
