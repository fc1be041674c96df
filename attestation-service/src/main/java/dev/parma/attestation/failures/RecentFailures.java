package dev.parma.attestation.failures;

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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Refused attestations, kept for the SRE page. Recording happens on the request's event-loop thread, so it only
 * queues (bounded: under a flood the excess is dropped and counted in the log, the metric still counts them all); a
 * sweep writes the queue to PostgreSQL every second and keeps only the newest {@link #KEEP} rows.
 */
@ApplicationScoped
public class RecentFailures {

    private static final Logger LOG = Logger.getLogger(RecentFailures.class);
    /** Rows kept: enough for "what failed lately" across restarts and instances, never a growing table. */
    static final int KEEP = 1000;
    private static final int QUEUE = 1000;

    /** One refused attestation: the CloudError code and status, the tenant (null: the provider instance), caller. */
    public record Failure(Instant time, int status, String code, String tenant, String caller) {
    }

    private final DataSource db;
    private final Clock clock;
    private final BlockingQueue<Failure> pending = new ArrayBlockingQueue<>(QUEUE);
    private long dropped;

    RecentFailures(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Queues a failure; never blocks. */
    public void record(int status, String code, String tenant, String caller) {
        if (!pending.offer(new Failure(clock.instant(), status, code, tenant, caller))) {
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
        var batch = new ArrayList<Failure>();
        pending.drainTo(batch);
        if (dropped > 0) {
            LOG.warnf("%d refused attestations were not kept for the SRE page (queue full)", dropped);
            dropped = 0;
        }
        try (Connection c = db.getConnection();
                var insert = c.prepareStatement("INSERT INTO attestation_failures (at, status, code, tenant, caller)"
                        + " VALUES (?, ?, ?, ?, ?)");
                var prune = c.prepareStatement("DELETE FROM attestation_failures WHERE id <= (SELECT id FROM"
                        + " attestation_failures ORDER BY id DESC OFFSET ? LIMIT 1)")) {
            for (var f : batch) {
                insert.setTimestamp(1, Timestamp.from(f.time()));
                insert.setInt(2, f.status());
                insert.setString(3, f.code());
                insert.setString(4, f.tenant());
                insert.setString(5, f.caller());
                insert.addBatch();
            }
            insert.executeBatch();
            prune.setInt(1, KEEP);
            prune.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("cannot store %d attestation failures: %s", batch.size(), e.getMessage());
        }
    }
}
