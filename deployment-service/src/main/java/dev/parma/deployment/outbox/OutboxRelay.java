package dev.parma.deployment.outbox;

import dev.parma.deployment.Metrics;
import dev.parma.deployment.config.DeploymentConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows in id order, waits for Kafka's acknowledgement, then marks them sent. If the process
 * dies between publishing and marking, the row is published again on restart: delivery is at-least-once, and
 * consumers deduplicate by command or event id. A commit wakes the relay at once; a periodic sweep catches
 * anything a wake-up missed.
 *
 * <p>
 * While Kafka or the database is away the relay backs off exponentially (capped, see {@link Backoff}) and probes
 * with a single row, so an outage of any length costs one attempt per pause and at most one message in flight;
 * wake-ups during a pause are ignored (the rows wait in the table, not in memory). At most one drain waits in the
 * relay's queue, however many commits wake it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    private final Emitter<String> emitter;
    /** A drain is waiting in the executor's queue (set by wake-ups, cleared when it starts). */
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Consecutive failed attempts; while positive, exactly one retry is scheduled and wake-ups are ignored. */
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        var t = new Thread(r, "outbox-relay");
        t.setDaemon(true);
        return t;
    });

    private final TransactionSynchronizationRegistry txRegistry;
    private final Metrics metrics;
    private final Backoff backoff;
    private final Duration ackTimeout;
    private final Counter failed;

    OutboxRelay(@Channel("node-commands") Emitter<String> emitter, TransactionSynchronizationRegistry txRegistry,
            Metrics metrics, DeploymentConfig config, MeterRegistry registry) {
        this.emitter = emitter;
        this.txRegistry = txRegistry;
        this.metrics = metrics;
        this.backoff = new Backoff(config.outbox().retryInitial(), config.outbox().retryMax());
        this.ackTimeout = config.outbox().ackTimeout();
        this.failed = Counter.builder("parma.outbox.publish.failures")
                .description("Outbox publish attempts that failed (Kafka or the database away); each backs off")
                .register(registry);
    }

    void wakeUpAfterCommit() {
        txRegistry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    wake();
                }
            }
        });
    }

    @Scheduled(every = "1s", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        wake();
    }

    /** Asks for a drain unless one is already waiting or the relay is pausing after a failure. */
    void wake() {
        if (failures.get() == 0 && queued.compareAndSet(false, true)) {
            try {
                executor.execute(this::drainNow);
            } catch (RejectedExecutionException stopping) {
                // shutting down: the rows stay in the table for the next start
            }
        }
    }

    private void drainNow() {
        queued.set(false);
        if (failures.get() == 0) {
            drain();
        } // else a failure since the wake-up: its scheduled retry drains
    }

    /** Publishes until nothing is left; one thread does it, so order per key is kept. */
    private void drain() {
        try {
            while (publishBatch()) {
                // keep going while full batches come back
            }
        } catch (RuntimeException e) {
            int n = failures.incrementAndGet();
            failed.increment();
            Duration pause = backoff.after(n);
            // the first failure and then every time the pause is at its cap, so a long outage logs a line a pause
            if (n == 1 || pause.equals(backoff.max())) {
                LOG.warnf("outbox relay paused %s after %d failed attempts: %s", pause, n, e.getMessage());
            }
            try {
                executor.schedule(this::drain, pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // shutting down: the rows stay in the table for the next start
            }
        }
    }

    /**
     * Publishes the oldest unsent rows (one only while recovering from a failure); true if more may be waiting. A
     * success ends a recovery, so the rows behind the probe go in full batches.
     */
    private boolean publishBatch() {
        attempts.incrementAndGet();
        int limit = failures.get() == 0 ? BATCH : 1;
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew().call(
                () -> OutboxEntity.<OutboxEntity>find("sentAt is null order by id").page(0, limit).list());
        if (rows.isEmpty()) {
            recovered();
            return false;
        }
        var acks = rows.stream().map(this::publish).toArray(CompletableFuture[]::new);
        awaitAcks(CompletableFuture.allOf(acks));
        var ids = rows.stream().map(r -> r.id).toList();
        QuarkusTransaction.requiringNew().run(
                () -> OutboxEntity.update("sentAt = ?1 where id in ?2", Instant.now(), ids));
        metrics.published(rows.size());
        recovered();
        return rows.size() == limit;
    }

    private void recovered() {
        int before = failures.getAndSet(0);
        if (before > 0) {
            LOG.infof("outbox relay resumed after %d failed attempts", before);
        }
    }

    /** Kafka answers every send within its delivery timeout; the bound here keeps the relay alive if it does not. */
    private void awaitAcks(CompletableFuture<Void> all) {
        try {
            all.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not accept the batch: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the batch within " + ackTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private CompletableFuture<Void> publish(OutboxEntity row) {
        var done = new CompletableFuture<Void>();
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withTopic(row.topic).withKey(row.key).build();
        emitter.send(Message.of(row.payload).addMetadata(metadata)
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    done.completeExceptionally(e);
                    return CompletableFuture.completedFuture(null);
                }));
        return done;
    }

    /** Drain attempts so far (each reads the table and publishes what it found), for tests and diagnosis. */
    long attempts() {
        return attempts.get();
    }

    /** Consecutive failed attempts (0 when the relay is healthy). */
    int failures() {
        return failures.get();
    }

    /** Drains waiting in the relay's queue, scheduled retries included. */
    int queuedDrains() {
        return executor.getQueue().size();
    }

    /** Stops the relay thread at shutdown: a drain in progress is interrupted, its rows stay unsent for next time. */
    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }
}
