package dev.parma.attestation.failures;

import dev.parma.attestation.abuse.CallerKeys;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Refused attestations, kept for the SRE page. Recording happens on the request's event-loop thread, so it only
 * queues (bounded: under a flood the excess is dropped and counted in the log, the metric still counts them all); a
 * sweep writes the queue to PostgreSQL every second and keeps only the newest {@link #KEEP} rows. Each source
 * ({@link CallerKeys#source}) gets at most {@link #PER_SOURCE_QUEUED} places in the queue and {@link #PER_SOURCE} rows:
 * one anonymous caller sending garbage cannot push everyone else's failures out.
 */
@ApplicationScoped
public class RecentFailures {

    private static final Logger LOG = Logger.getLogger(RecentFailures.class);
    /** Rows kept: enough for "what failed lately" across restarts and instances, never a growing table. */
    static final int KEEP = 1000;
    private static final int QUEUE = 1000;
    /** Rows kept per source: a tenth of the list. */
    static final int PER_SOURCE = 100;
    /** Queue places per source between two sweeps. */
    static final int PER_SOURCE_QUEUED = 50;

    /** One refused attestation: the CloudError code and status, the tenant (null: the provider instance), caller. */
    public record Failure(Instant time, int status, String code, String tenant, String caller) {
    }

    private record Pending(Failure failure, String source) {
    }

    private final DataSource db;
    private final Clock clock;
    private final BlockingQueue<Pending> pending = new ArrayBlockingQueue<>(QUEUE);
    private final Map<String, AtomicInteger> queuedBySource = new ConcurrentHashMap<>();
    private long dropped;

    RecentFailures(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Queues a failure; never blocks. */
    public void record(int status, String code, String tenant, String caller) {
        String source = CallerKeys.source(caller);
        boolean placed = queuedBySource.size() < QUEUE && queuedBySource
                .computeIfAbsent(source, k -> new AtomicInteger()).incrementAndGet() <= PER_SOURCE_QUEUED;
        if (!placed || !pending.offer(new Pending(new Failure(clock.instant(), status, code, tenant, caller),
                source))) {
            synchronized (this) {
                dropped++;
            }
        }
    }

    /** The newest {@code top} failures, newest first. */
    public List<Failure> recent(int top) {
        flush();
        var out = new ArrayList<Failure>();
        try (Connection c = db.getConnection();
                var q = c.prepareStatement("SELECT at, status, code, tenant, caller FROM attestation_failures"
                        + " ORDER BY id DESC LIMIT ?")) {
            q.setInt(1, top);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Failure(rs.getTimestamp(1).toInstant(), rs.getInt(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read attestation failures", e);
        }
        return out;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        var batch = new ArrayList<Pending>();
        pending.drainTo(batch);
        queuedBySource.clear();
        if (dropped > 0) {
            LOG.warnf("%d refused attestations were not kept for the SRE page (queue full or a source over its share)",
                    dropped);
            dropped = 0;
        }
        try (Connection c = db.getConnection();
                var insert = c.prepareStatement("INSERT INTO attestation_failures (at, status, code, tenant, caller,"
                        + " source_key) VALUES (?, ?, ?, ?, ?, ?)");
                var pruneSource = c.prepareStatement("DELETE FROM attestation_failures WHERE source_key = ? AND id"
                        + " <= (SELECT id FROM attestation_failures WHERE source_key = ? ORDER BY id DESC OFFSET ?"
                        + " LIMIT 1)");
                var prune = c.prepareStatement("DELETE FROM attestation_failures WHERE id <= (SELECT id FROM"
                        + " attestation_failures ORDER BY id DESC OFFSET ? LIMIT 1)")) {
            for (var p : batch) {
                var f = p.failure();
                insert.setTimestamp(1, Timestamp.from(f.time()));
                insert.setInt(2, f.status());
                insert.setString(3, f.code());
                insert.setString(4, f.tenant());
                insert.setString(5, f.caller());
                insert.setString(6, p.source());
                insert.addBatch();
            }
            insert.executeBatch();
            for (String source : batch.stream().map(Pending::source).distinct().toList()) {
                pruneSource.setString(1, source);
                pruneSource.setString(2, source);
                pruneSource.setInt(3, PER_SOURCE);
                pruneSource.addBatch();
            }
            pruneSource.executeBatch();
            prune.setInt(1, KEEP);
            prune.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("cannot store %d attestation failures: %s", batch.size(), e.getMessage());
        }
    }
}
