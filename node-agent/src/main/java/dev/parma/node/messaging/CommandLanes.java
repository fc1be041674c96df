package dev.parma.node.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on a bounded pool: one lane per group, so a group's commands keep their order (start before
 * delete) while different groups' run in parallel, up to the pool's size.
 */
final class CommandLanes implements AutoCloseable {

    private final ExecutorService pool;
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    CommandLanes(int parallelism) {
        this.pool = Executors.newFixedThreadPool(Math.max(1, parallelism), r -> {
            var t = new Thread(r, "node-command");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} after every task submitted before for {@code lane}; completes when it ran (or failed). */
    synchronized CompletableFuture<Void> submit(String lane, Runnable task) {
        var previous = tails.getOrDefault(lane, CompletableFuture.completedFuture(null));
        // a failed predecessor does not stop the lane
        CompletableFuture<Void> next = previous.handle((v, e) -> null).thenRunAsync(task, pool);
        tails.put(lane, next);
        next.whenComplete((v, e) -> forget(lane, next));
        return next;
    }

    private synchronized void forget(String lane, CompletableFuture<Void> done) {
        tails.remove(lane, done);
    }

    /** Lanes with work queued or running (for tests and metrics). */
    synchronized int busy() {
        return tails.size();
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
