package dev.parma.contracts.node;

import java.time.Instant;

/**
 * One occurrence of an ACI instance-view event (Pulling, Started, Killing, …). The control plane folds
 * repeats into ACI's {count, firstTimestamp, lastTimestamp} form. {@code container} is null for group events.
 */
public record InstanceEvent(String container, String name, String message, String type, Instant timestamp) {

    public static InstanceEvent normal(String container, String name, String message, Instant at) {
        return new InstanceEvent(container, name, message, "Normal", at);
    }

    public static InstanceEvent warning(String container, String name, String message, Instant at) {
        return new InstanceEvent(container, name, message, "Warning", at);
    }
}
