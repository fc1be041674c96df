package dev.parma.deployment.group;

import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.InstanceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ACI's instanceView of a group and its containers, as stored. Repeated events are folded into one entry
 * with a count and first/last timestamps, as ACI shows them.
 */
public record InstanceView(String state, List<Event> events, Map<String, ContainerView> containers) {

    /** At most this many distinct events are kept per group and per container; the oldest go first. */
    static final int MAX_EVENTS = 50;

    public InstanceView {
        events = events == null ? List.of() : List.copyOf(events);
        containers = containers == null ? Map.of() : Map.copyOf(containers);
    }

    public static InstanceView pending() {
        return new InstanceView("Pending", List.of(), Map.of());
    }

    public record Event(int count, Instant firstTimestamp, Instant lastTimestamp, String name, String message,
            String type) {

        boolean sameAs(InstanceEvent e) {
            return name.equals(e.name()) && Objects.equals(message, e.message()) && type.equals(e.type());
        }
    }

    public record ContainerView(int restartCount, ContainerState currentState, ContainerState previousState,
            List<Event> events) {

        public ContainerView {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** This view with a node's status applied. */
    public InstanceView apply(GroupStatus status) {
        var groupEvents = new ArrayList<>(events);
        var byContainer = new LinkedHashMap<>(containers);
        for (var c : status.containers()) {
            var old = byContainer.get(c.name());
            byContainer.put(c.name(), new ContainerView(c.restartCount(), c.currentState(), c.previousState(),
                    old == null ? List.of() : old.events()));
        }
        for (var e : status.events()) {
            if (e.container() == null) {
                fold(groupEvents, e);
            } else {
                var old = byContainer.getOrDefault(e.container(), new ContainerView(0, null, null, List.of()));
                var list = new ArrayList<>(old.events());
                fold(list, e);
                byContainer.put(e.container(), new ContainerView(old.restartCount(), old.currentState(),
                        old.previousState(), list));
            }
        }
        return new InstanceView(status.state().name(), groupEvents, byContainer);
    }

    /** This view with another group state (Stopped, Pending) set by the control plane. */
    public InstanceView withState(String newState) {
        return new InstanceView(newState, events, containers);
    }

    /** The last group-level event, if any. */
    public Event lastEvent() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    /** This view with one more group-level event (e.g. from the control plane itself). */
    public InstanceView withGroupEvent(InstanceEvent e) {
        var groupEvents = new ArrayList<>(events);
        fold(groupEvents, e);
        return new InstanceView(state, groupEvents, containers);
    }

    private static void fold(List<Event> events, InstanceEvent e) {
        for (int i = 0; i < events.size(); i++) {
            var old = events.get(i);
            if (old.sameAs(e)) {
                events.set(i, new Event(old.count() + 1, old.firstTimestamp(), e.timestamp(), old.name(),
                        old.message(), old.type()));
                return;
            }
        }
        events.add(new Event(1, e.timestamp(), e.timestamp(), e.name(), e.message(), e.type()));
        if (events.size() > MAX_EVENTS) {
            events.remove(0);
        }
    }
}
