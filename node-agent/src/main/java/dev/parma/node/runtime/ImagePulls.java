package dev.parma.node.runtime;

import dev.parma.contracts.node.InstanceEvent;
import dev.parma.node.images.PulledImage;
import dev.parma.node.images.Registry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Pulls a container's image with ACI's events: {@code Pulling}, then {@code Pulled}; on failure {@code Failed}
 * (Warning, "Failed to pull image …") and {@code BackOff} ("Back-off pulling image …"), retried a few times with
 * a growing pause, after which the container waits with {@code ErrImagePull}.
 */
final class ImagePulls {

    static final int ATTEMPTS = 3;
    /** Container detail while a failed pull waits to be retried, and after the last attempt failed. */
    static final String BACK_OFF = "ImagePullBackOff";
    static final String FAILED = "ErrImagePull";

    /** Every attempt failed; the events already say why. */
    static final class PullFailed extends Exception {
        PullFailed(String message) {
            super(message);
        }
    }

    private ImagePulls() {
    }

    /**
     * @param events the container's events so far; the pull's events are added to it
     * @param backOff called with the events to report before each pause (the caller sets the container waiting)
     * @param stopping whether the group is being stopped (then no more attempts)
     */
    static PulledImage pull(Registry registry, String container, String image, List<InstanceEvent> events,
            Consumer<List<InstanceEvent>> backOff, BooleanSupplier stopping) throws PullFailed {
        String reason = "";
        for (int attempt = 1; attempt <= ATTEMPTS && !stopping.getAsBoolean(); attempt++) {
            events.add(InstanceEvent.normal(container, "Pulling", "pulling image \"" + image + "\"", Instant.now()));
            try {
                PulledImage pulled = registry.pull(image);
                events.add(InstanceEvent.normal(container, "Pulled", "Successfully pulled image \"" + image + "\" ("
                        + pulled.manifestDigest() + ")", Instant.now()));
                return pulled;
            } catch (IOException | IllegalArgumentException e) {
                reason = e.getMessage();
                events.add(InstanceEvent.warning(container, "Failed", "Failed to pull image \"" + image + "\": "
                        + reason, Instant.now()));
            }
            if (attempt < ATTEMPTS) {
                events.add(InstanceEvent.normal(container, "BackOff", "Back-off pulling image \"" + image + "\"",
                        Instant.now()));
                backOff.accept(new ArrayList<>(events));
                events.clear();
                try {
                    Thread.sleep(1000L << (attempt - 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new PullFailed(reason);
    }
}
