package dev.parma.gateway.limits;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.Metrics;
import dev.parma.gateway.arm.ArmError;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rate limits for creates and deletes, per subscription and region, over two sliding windows (by default 100
 * per 5 minutes and 300 per hour). Past either, the request is refused with 429 TooManyRequests and a
 * Retry-After telling when the oldest counted request leaves the window. Counts live in this gateway's memory.
 */
@ApplicationScoped
public class WriteLimiter {

    @ConfigProperty(name = "parma.limits.writes.short.max", defaultValue = "100")
    int shortMax;

    @ConfigProperty(name = "parma.limits.writes.short.window", defaultValue = "PT5M")
    Duration shortWindow;

    @ConfigProperty(name = "parma.limits.writes.long.max", defaultValue = "300")
    int longMax;

    @ConfigProperty(name = "parma.limits.writes.long.window", defaultValue = "PT1H")
    Duration longWindow;

    @Inject
    Metrics metrics;

    private final Map<String, ArrayDeque<Long>> log = new ConcurrentHashMap<>();
    LongSupplier clock = System::nanoTime;

    /** Counts one create or delete in {@code subscription}/{@code region}, or throws a 429. */
    public void acquire(String subscription, String region, String what) {
        String key = subscription.toLowerCase(Locale.ROOT) + "/" + normalize(region);
        var times = log.computeIfAbsent(key, k -> new ArrayDeque<>());
        long now = clock.getAsLong();
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() >= longWindow.toNanos()) {
                times.pollFirst();
            }
            long waitShort = waitFor(times, now, shortWindow, shortMax);
            long waitLong = waitFor(times, now, longWindow, longMax);
            long wait = Math.max(waitShort, waitLong);
            if (wait > 0) {
                if (metrics != null) {
                    metrics.rateLimited(waitLong > 0 ? "long" : "short");
                }
                long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
                String window = waitLong > 0
                        ? longMax + " per " + human(longWindow)
                        : shortMax + " per " + human(shortWindow);
                throw new Limited(seconds, CloudError.of("TooManyRequests", "The subscription '" + subscription
                        + "' has made too many " + what + " requests in region '" + normalize(region) + "' (limit "
                        + window + "). Retry after " + seconds + " seconds."));
            }
            times.addLast(now);
        }
    }

    /** Nanoseconds until one more request fits in {@code window}, or 0. */
    private static long waitFor(ArrayDeque<Long> times, long now, Duration window, int max) {
        int inWindow = 0;
        Long oldestInWindow = null;
        var it = times.descendingIterator();
        while (it.hasNext()) {
            long t = it.next();
            if (now - t >= window.toNanos()) {
                break;
            }
            inWindow++;
            oldestInWindow = t;
            if (inWindow >= max) {
                break;
            }
        }
        if (inWindow < max || oldestInWindow == null) {
            return 0;
        }
        // the max-th most recent request must leave the window
        return oldestInWindow + window.toNanos() - now;
    }

    static String normalize(String region) {
        return region == null ? "" : region.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String human(Duration d) {
        return d.toMinutes() >= 60 && d.toMinutes() % 60 == 0
                ? (d.toHours() == 1 ? "hour" : d.toHours() + " hours")
                : d.toMinutes() + " minutes";
    }

    /** A 429 with Retry-After. */
    public static final class Limited extends ArmError {
        private final long retryAfter;

        Limited(long retryAfter, CloudError error) {
            super(429, error);
            this.retryAfter = retryAfter;
        }

        @Override
        public Response toResponse() {
            return Response.fromResponse(super.toResponse()).type(MediaType.APPLICATION_JSON)
                    .header("Retry-After", Long.toString(retryAfter)).build();
        }
    }
}
