package dev.parma.attestation.abuse;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller: {@code rate} tokens a second up to {@code burst}. Idle buckets are dropped once they
 * are full again, so the map holds only recently active callers.
 */
public final class RateLimiter {
    private static final int MAX_CALLERS = 100_000;

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final double ratePerNano;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst, Clock clock) {
        this.ratePerNano = perSecond / 1e9;
        this.burst = burst;
        this.clock = clock;
    }

    /** True if {@code caller} may make one more request now. */
    public boolean tryAcquire(String caller) {
        long now = nanos();
        if (buckets.size() > MAX_CALLERS) {
            buckets.entrySet().removeIf(e -> refill(e.getValue(), now) >= burst);
        }
        Bucket b = buckets.computeIfAbsent(caller, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.lastNanos = now;
            return n;
        });
        synchronized (b) {
            b.tokens = refill(b, now);
            b.lastNanos = now;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    private double refill(Bucket b, long now) {
        return Math.min(burst, b.tokens + (now - b.lastNanos) * ratePerNano);
    }

    private long nanos() {
        var i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
