package dev.parma.gateway.limits;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.Metrics;
import dev.parma.gateway.arm.ArmError;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.quarkus.scheduler.Scheduled;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rate limits for creates and deletes, per subscription and region, over two sliding windows (by default 100
 * per 5 minutes and 300 per hour). Past either, the request is refused with 429 TooManyRequests and a
 * Retry-After telling when the oldest counted request leaves the window.
 * <p>
 * The counts live in PostgreSQL ({@code write_counts}, one row per subscription, region and second), so every
 * gateway instance draws on one budget. A write is checked and counted in one statement: the earlier seconds of
 * both windows are summed, and the current second's row is inserted, or incremented under its row lock with the
 * check made again on the fresh count, so concurrent writers never exceed a limit. Time is counted in whole
 * seconds of the gateways' clocks; rows older than the long window are purged every minute.
 */
@ApplicationScoped
public class WriteLimiter {

    private static final Logger LOG = Logger.getLogger(WriteLimiter.class);

    // The earlier seconds of both windows are a snapshot (writes only go to the current second); the current
    // second's count is the row itself, locked and re-read by ON CONFLICT before its WHERE is evaluated.
    private static final String COUNT = """
            WITH past AS (
                SELECT coalesce(sum(writes) FILTER (WHERE second > ?), 0) AS short_past,
                       coalesce(sum(writes), 0) AS long_past
                FROM write_counts WHERE subscription = ? AND region = ? AND second > ? AND second < ?)
            INSERT INTO write_counts AS c (subscription, region, second, writes)
            SELECT ?, ?, ?, 1 FROM past WHERE short_past < ? AND long_past < ?
            ON CONFLICT (subscription, region, second) DO UPDATE SET writes = c.writes + 1
            WHERE c.writes + (SELECT short_past FROM past) < ? AND c.writes + (SELECT long_past FROM past) < ?
            RETURNING writes""";

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

    @Inject
    DataSource db;

    /** Milliseconds since the epoch: wall-clock time, which every instance shares. */
    LongSupplier clock = System::currentTimeMillis;

    /** Counts one create or delete in {@code subscription}/{@code region}, or throws a 429. */
    public void acquire(String subscription, String region, String what) {
        String sub = subscription.toLowerCase(Locale.ROOT);
        String reg = normalize(region);
        long now = Math.floorDiv(clock.getAsLong(), 1000);
        try (Connection c = db.getConnection()) {
            boolean counted;
            try (PreparedStatement s = c.prepareStatement(COUNT)) {
                s.setLong(1, now - shortWindow.toSeconds());
                s.setString(2, sub);
                s.setString(3, reg);
                s.setLong(4, now - longWindow.toSeconds());
                s.setLong(5, now);
                s.setString(6, sub);
                s.setString(7, reg);
                s.setLong(8, now);
                s.setInt(9, shortMax);
                s.setInt(10, longMax);
                s.setInt(11, shortMax);
                s.setInt(12, longMax);
                try (ResultSet rs = s.executeQuery()) {
                    counted = rs.next();
                }
            }
            if (!counted) {
                throw refusal(c, subscription, sub, reg, now, what);
            }
        } catch (SQLException e) {
            throw ArmError.stateUnavailable("write limits", e);
        }
    }

    /** The 429 for a refused write: which window is full and when it frees a slot. */
    private Limited refusal(Connection c, String subscription, String sub, String reg, long now, String what)
            throws SQLException {
        var seconds = new ArrayList<Second>();
        try (PreparedStatement s = c.prepareStatement("SELECT second, writes FROM write_counts WHERE subscription = ?"
                + " AND region = ? AND second > ? AND second <= ? ORDER BY second DESC")) {
            s.setString(1, sub);
            s.setString(2, reg);
            s.setLong(3, now - longWindow.toSeconds());
            s.setLong(4, now);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    seconds.add(new Second(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        long waitShort = waitFor(seconds, now, shortWindow, shortMax);
        long waitLong = waitFor(seconds, now, longWindow, longMax);
        if (metrics != null) {
            metrics.rateLimited(waitLong > 0 ? "long" : "short");
        }
        // a refusal that no longer holds (an old second left the window meanwhile) still asks for a second's wait
        long wait = Math.max(1, Math.max(waitShort, waitLong));
        String window = waitLong > 0
                ? longMax + " per " + human(longWindow)
                : shortMax + " per " + human(shortWindow);
        return new Limited(wait, CloudError.of("TooManyRequests", "The subscription '" + subscription
                + "' has made too many " + what + " requests in region '" + reg + "' (limit " + window
                + "). Retry after " + wait + " seconds."));
    }

    /** The writes counted in one second (epoch). */
    private record Second(long second, long writes) {
    }

    /**
     * Seconds until one more write fits in {@code window}, or 0: the second holding the {@code max}-th most recent
     * write must leave it. {@code seconds} newest first.
     */
    private static long waitFor(List<Second> seconds, long now, Duration window, int max) {
        long inWindow = 0;
        for (Second s : seconds) {
            if (now - s.second() >= window.toSeconds()) {
                break;
            }
            inWindow += s.writes();
            if (inWindow >= max) {
                return s.second() + window.toSeconds() - now;
            }
        }
        return 0;
    }

    /** Drops the counts no window can see any more. */
    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long oldest = Math.floorDiv(clock.getAsLong(), 1000)
                - Math.max(shortWindow.toSeconds(), longWindow.toSeconds());
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM write_counts WHERE second <= ?")) {
            s.setLong(1, oldest);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("cannot purge old write counts (the next purge takes them): %s", e.getMessage());
        }
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
