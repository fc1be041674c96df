package dev.parma.deployment.outbox;

import java.time.Duration;

/**
 * Exponential backoff with a cap: {@code initial} after the first failure, doubling after each further one, never more
 * than {@code max}. The cap bounds how long a recovered dependency waits before it is used again.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The pause after {@code failures} consecutive failures (at least one). */
    public Duration after(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("no failure, no backoff");
        }
        // initial * 2^(failures-1), saturating long before the shift could overflow
        int doublings = Math.min(failures - 1, 30);
        Duration d = initial.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }
}
