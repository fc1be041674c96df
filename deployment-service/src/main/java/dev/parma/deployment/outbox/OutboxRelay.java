package dev.parma.deployment.outbox;

import dev.parma.deployment.Metrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows in id order, waits for Kafka's acknowledgement, then marks them sent. If the process
 * dies between publishing and marking, the row is published again on restart: delivery is at-least-once, and
 * consumers deduplicate by command or event id. A commit wakes the relay at once; a periodic sweep catches
 * anything a wake-up missed.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    private final Emitter<String> emitter;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "outbox-relay");
        t.setDaemon(true);
        return t;
    });

    private final TransactionSynchronizationRegistry txRegistry;
    private final Metrics metrics;

    OutboxRelay(@Channel("node-commands") Emitter<String> emitter, TransactionSynchronizationRegistry txRegistry,
            Metrics metrics) {
        this.emitter = emitter;
        this.txRegistry = txRegistry;
        this.metrics = metrics;
    }

    void wakeUpAfterCommit() {
        txRegistry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    executor.execute(OutboxRelay.this::drain);
                }
            }
        });
    }

    @Scheduled(every = "1s", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        executor.execute(this::drain);
    }

    /** Publishes until nothing is left; a single thread does it, so order per key is kept. */
    void drain() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                while (publishBatch() == BATCH) {
                    // keep going while full batches come back
                }
            } while (again.get());
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay paused, will retry: %s", e.getMessage());
            executor.schedule(this::drain, 1, TimeUnit.SECONDS);
        } finally {
            running.set(false);
        }
    }

    private int publishBatch() {
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew().call(
                () -> OutboxEntity.<OutboxEntity>find("sentAt is null order by id").page(0, BATCH).list());
        if (rows.isEmpty()) {
            return 0;
        }
        var acks = rows.stream().map(this::publish).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(acks).join();
        var ids = rows.stream().map(r -> r.id).toList();
        QuarkusTransaction.requiringNew().run(
                () -> OutboxEntity.update("sentAt = ?1 where id in ?2", Instant.now(), ids));
        metrics.published(rows.size());
        return rows.size();
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
}
