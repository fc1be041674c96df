package dev.parma.e2e.faults;

import dev.parma.e2e.E2eAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's stream of creates and deletes through the api-gateway, seeded: a PUT of a new standard group, or
 * (one time in four) a DELETE of a group whose create was accepted, every 200–500 ms, never waiting for the
 * answer. It keeps the ledger the fault cases judge by: what was accepted (201 / 202), what was refused (and
 * whether a 503 said when to retry), and what is uncertain (no answer: the request may or may not have landed).
 */
final class Workload {

    static final String MARKER = "parma-fault-";
    private static final String API = "?api-version=2025-09-01";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private final String prefix;
    private final String token = E2eAuth.token("e2e-tenant", "tenant-owner");
    private final SplittableRandom random;
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private int next;
    private volatile boolean streaming;
    private Thread thread;

    final Set<String> createsAccepted = ConcurrentHashMap.newKeySet();
    final Set<String> createsUncertain = ConcurrentHashMap.newKeySet();
    final Set<String> deletesAccepted = ConcurrentHashMap.newKeySet();
    final Set<String> deletesUncertain = ConcurrentHashMap.newKeySet();
    /** "PUT 201", "DELETE 503", "PUT 503 without Retry-After", "PUT no answer" … → count. */
    final Map<String, Integer> outcomes = new TreeMap<>();
    /** Names in the order they were sent. */
    final Set<String> sent = new LinkedHashSet<>();

    Workload(String gateway, String caseName, long seed) {
        this.random = new SplittableRandom(seed);
        this.base = gateway + "/subscriptions/" + new UUID(seed, caseName.hashCode())
                + "/resourceGroups/faults/providers/Microsoft.ContainerInstance/containerGroups/";
        this.prefix = caseName + "-" + Long.toHexString(seed & 0xffffff) + "-";
    }

    String url(String name) {
        return base + name + API;
    }

    String marker(String name) {
        return MARKER + name;
    }

    /** Starts sending in the background until {@link #stop()}. */
    synchronized void start() {
        streaming = true;
        thread = new Thread(() -> {
            while (streaming) {
                step();
                try {
                    Thread.sleep(200 + random.nextInt(300));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fault-workload");
        thread.start();
    }

    /** Stops sending and waits for every answer (or its timeout). */
    void stop() throws InterruptedException {
        streaming = false;
        thread.join();
        CompletableFuture<?>[] all;
        synchronized (this) {
            all = inFlight.toArray(new CompletableFuture<?>[0]);
        }
        CompletableFuture.allOf(all).handle((v, e) -> null).join();
    }

    private synchronized void step() {
        var live = new ArrayList<>(createsAccepted);
        live.removeAll(deletesAccepted);
        live.removeAll(deletesUncertain);
        if (!live.isEmpty() && random.nextInt(4) == 0) {
            String name = live.get(random.nextInt(live.size()));
            deletesUncertain.add(name); // until answered: a DELETE is never sent twice
            send("DELETE", name, HttpRequest.newBuilder(URI.create(url(name))).DELETE(), deletesAccepted,
                    deletesUncertain);
        } else {
            String name = prefix + next++;
            sent.add(name);
            createsUncertain.add(name);
            send("PUT", name, HttpRequest.newBuilder(URI.create(url(name))).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body(marker(name)))), createsAccepted, createsUncertain);
        }
    }

    private void send(String method, String name, HttpRequest.Builder request, Set<String> accepted,
            Set<String> uncertain) {
        var request1 = request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build();
        inFlight.add(http.sendAsync(request1, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            String outcome;
            if (e != null) {
                outcome = method + " no answer"; // stays uncertain
            } else {
                int s = r.statusCode();
                outcome = method + " " + s + (s == 503 && r.headers().firstValue("Retry-After").isEmpty()
                        ? " without Retry-After"
                        : "");
                uncertain.remove(name);
                if (s == 200 || s == 201 || s == 202 || s == 204) {
                    accepted.add(name);
                }
            }
            synchronized (outcomes) {
                outcomes.merge(outcome, 1, Integer::sum);
            }
        }));
    }

    /** A standard group whose shell carries its marker and stops at once on SIGTERM. */
    static String body(String marker) {
        return """
                {"location":"westeurope","properties":{"sku":"Standard","osType":"Linux","containers":[{"name":"app",
                "properties":{"image":"busybox:1.36","command":["/bin/sh","-c",
                "trap 'exit 0' TERM; echo %s; while true; do sleep 1; done"],
                "resources":{"requests":{"cpu":0.1,"memoryInGB":0.1}}}}]}}""".formatted(marker);
    }

    /** Creates whose answer was 201 and that no accepted or unanswered DELETE targets: they must run. */
    Set<String> mustRun() {
        var out = new LinkedHashSet<>(createsAccepted);
        out.removeAll(deletesAccepted);
        out.removeAll(deletesUncertain);
        return out;
    }

    /** Every group that may exist: sent, not certainly deleted. */
    Set<String> mayExist() {
        var out = new LinkedHashSet<>(sent);
        out.removeAll(deletesAccepted);
        return out;
    }
}
