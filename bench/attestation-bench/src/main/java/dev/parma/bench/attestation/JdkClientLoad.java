package dev.parma.bench.attestation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generator the first benchmark used, kept only to show what it cost ({@code --compare-jdk-client true}): the
 * JDK HttpClient with a body built per request, and a schedule kept by sleeping in 0.1 ms steps and spinning for the
 * last 0.2 ms before each request — on the same two cores as the service.
 */
final class JdkClientLoad {

    private JdkClientLoad() {
    }

    /** Latencies (ns, sorted) from each request's scheduled time. */
    static long[] openLoop(HttpClient http, URI uri, List<String> bodies, double rate, int count) throws Exception {
        long[] latency = new long[count];
        long interval = (long) (1e9 / rate);
        List<CompletableFuture<?>> pending = new ArrayList<>(count);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < count; i++) {
            long scheduled = start + i * interval;
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                if (wait > 200_000) {
                    Thread.sleep(0, 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            int idx = i;
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json").POST(
                    HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size()))).build();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                latency[idx] = System.nanoTime() - scheduled;
                if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed in the JDK-client open loop");
        }
        Arrays.sort(latency);
        return latency;
    }
}
