package dev.parma.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The liveness breaker of the control plane: more of the nodes holding groups looked gone at once than it may
 * declare lost on its own, so it moved none of their groups (a mass loss is more likely the observer's fault).
 *
 * @param since when the breaker opened
 * @param nodes the silent nodes it holds back (none once closed)
 * @param fleet how many nodes hold groups
 * @param allowed how many of them may be declared lost at once
 * @param maxLostShare the configured share that gives {@code allowed}
 * @param closedBy null while open
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LivenessBreaker(
        Instant since,
        List<String> nodes,
        int fleet,
        int allowed,
        double maxLostShare,
        ClosedBy closedBy) {

    /** The key and subject of breaker events on the lifecycle topic. */
    public static final String KEY = "/parma/liveness/breaker";

    /** Why the breaker closed. */
    public enum ClosedBy {
        /** Few enough nodes are silent again: they came back (or answer). */
        RECOVERY,
        /** An operator released it: the nodes it held were declared lost and their groups moved. */
        OPERATOR;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LivenessBreaker {
        Objects.requireNonNull(since, "since");
        nodes = List.copyOf(nodes);
    }
}
