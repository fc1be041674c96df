package dev.parma.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.e2e.E2eAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fault case: the {@link Workload} streams while the case breaks something and heals it; then the run waits
 * until every group is terminal and judges what happened. Figures are printed and appended to
 * {@code e2e/target/fault-figures.txt}.
 *
 * <pre>
 * start ── warm-up (groups running) ── before: pids ── fault … back ── stream a little more ── stop
 *                                                                 └── all terminal (recovery time) ── judge ── clean up
 * </pre>
 */
final class FaultRun implements AutoCloseable {

    /** Bound of the wait for all-terminal; the measured time is the figure, this only stops a hung case. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(120);

    /** What a case measured. */
    record Figures(String fault, long seed, int createsSent, int createsAccepted, int createsUncertain,
            int deletesAccepted, int mustRun, int running, List<String> lost, List<String> notGone,
            Set<String> duplicatesSeen, Set<String> duplicatesAfterRecovery, int runningBefore, List<String> restarted,
            double secondsToAllTerminal, Map<String, Integer> outcomes) {

        String line() {
            return String.format("%s seed=%d: creates %d sent, %d accepted (%d unanswered), deletes %d accepted; "
                    + "%d/%d accepted groups running, lost %d, deletes not done %d; duplicates %d (after recovery %d)"
                    + "; restarted %d of %d running before; all terminal %.1f s after the fault healed; answers %s",
                    fault, seed, createsSent, createsAccepted, createsUncertain, deletesAccepted, running, mustRun,
                    lost.size(), notGone.size(), duplicatesSeen.size(), duplicatesAfterRecovery.size(),
                    restarted.size(), runningBefore, secondsToAllTerminal, outcomes);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private static final String TOKEN = E2eAuth.token("e2e-tenant", "tenant-owner");

    final FaultPlatform platform;
    final String fault;
    final long seed;
    final Workload load;
    private final Set<String> duplicatesSeen = ConcurrentHashMap.newKeySet();
    private volatile boolean sampling = true;
    private final Thread sampler;
    private Map<String, Long> before = Map.of();
    private long backNanos;

    FaultRun(FaultPlatform platform, String fault) throws Exception {
        this.platform = platform;
        this.fault = fault;
        this.seed = Long.getLong("parma.seed", System.nanoTime());
        System.out.println("fault " + fault + " seed: " + seed + " (replay with -Dparma.seed=" + seed + ")");
        platform.heal();
        this.load = new Workload(platform.gateway.url(), fault, seed);
        // a group seen with two copies at any moment: the sampler looks every second
        this.sampler = new Thread(() -> {
            while (sampling) {
                Census.take(markers(load.mayExist())).forEach((m, pids) -> {
                    if (pids.size() > 1) {
                        duplicatesSeen.add(m);
                    }
                });
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fault-census");
    }

    /** Streams for {@code warmUp}, then until the groups accepted so far run; notes their pids. */
    void warmUp(Duration warmUp) throws Exception {
        load.start();
        sampler.start();
        Thread.sleep(warmUp.toMillis());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, List<Long>> census;
        do {
            Thread.sleep(500);
            census = Census.take(markers(load.mustRun()));
        } while (census.size() < load.mustRun().size() && System.nanoTime() < deadline);
        var pids = new HashMap<String, Long>();
        census.forEach((m, p) -> {
            if (p.size() == 1) {
                pids.put(m, p.get(0));
            }
        });
        before = pids;
        System.out.printf("fault %s: %d groups running before the fault, per node %s%n", fault, before.size(),
                platform.nodes.stream().map(n -> n.name + "=" + runningOn(n)).toList());
    }

    /** How many of the groups running before the fault run on {@code node} (its work directory). */
    long runningOn(Service node) {
        var dir = platform.nodeDirs.get(platform.nodes.indexOf(node)).toString();
        return before.values().stream().filter(pid -> Census.underDir(pid, dir)).count();
    }

    /** The node that ran the most groups before the fault. */
    Service busiestNode() {
        return platform.nodes.stream().max(java.util.Comparator.comparingLong(this::runningOn)).orElseThrow();
    }

    /** The fault is healed (the process is back and ready, the broker serves, the node resumed). */
    void back() {
        backNanos = System.nanoTime();
    }

    /** Keeps streaming for {@code d}, then stops the stream, waits for all-terminal and measures. */
    Figures finish(Duration d) throws Exception {
        Thread.sleep(d.toMillis());
        load.stop();
        var mustRun = load.mustRun();
        var mayExist = load.mayExist();
        Map<String, String> state;
        Map<String, List<Long>> census;
        long deadline = System.nanoTime() + RECOVERY_BOUND.toNanos();
        while (true) {
            state = states(load.sent);
            census = Census.take(markers(load.sent));
            if (allTerminal(state, census) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        double seconds = (System.nanoTime() - backNanos) / 1e9;
        sampling = false;
        sampler.join();
        var finalState = state;
        var lost = mustRun.stream().filter(n -> !"Running".equals(finalState.get(n)))
                .map(n -> n + " " + finalState.get(n)).toList();
        var notGone = load.deletesAccepted.stream().filter(n -> !"Gone".equals(finalState.get(n)))
                .map(n -> n + " " + finalState.get(n)).toList();
        var twice = new TreeSet<String>();
        census.forEach((m, p) -> {
            if (p.size() > 1) {
                twice.add(m);
            }
        });
        var now = census;
        var restarted = before.entrySet().stream()
                .filter(e -> mustRun.contains(e.getKey().substring(Workload.MARKER.length())))
                .filter(e -> !List.of(e.getValue()).equals(now.get(e.getKey()))).map(Map.Entry::getKey).toList();
        int runningBefore = (int) before.keySet().stream()
                .filter(m -> mustRun.contains(m.substring(Workload.MARKER.length()))).count();
        Map<String, Integer> outcomes;
        synchronized (load.outcomes) {
            outcomes = Map.copyOf(load.outcomes);
        }
        var figures = new Figures(fault, seed, load.sent.size(), load.createsAccepted.size(),
                load.createsUncertain.size(), load.deletesAccepted.size(), mustRun.size(), mustRun.size()
                        - lost.size(),
                lost, notGone, new TreeSet<>(duplicatesSeen), twice, runningBefore, restarted,
                seconds, new java.util.TreeMap<>(outcomes));
        System.out.println("FAULT FIGURES " + figures.line());
        var file = platform.root.resolve("e2e/target/fault-figures.txt");
        Files.writeString(file, java.time.Instant.now() + " " + figures.line() + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return figures;
    }

    /** No loss, no duplicates, and the fault healed into all-terminal within the bound. */
    static void assertNoLossNoDuplicates(Figures f) {
        assertThat(f.lost()).as("every accepted create exists and runs").isEmpty();
        assertThat(f.notGone()).as("every accepted delete is done").isEmpty();
        assertThat(f.duplicatesAfterRecovery()).as("no group runs twice after recovery").isEmpty();
        assertThat(f.secondsToAllTerminal()).as("all terminal within the bound")
                .isLessThan(RECOVERY_BOUND.toSeconds());
    }

    /** A client told to come back later (503) is told when (issue 14: Retry-After on every 503). */
    static void assertEvery503SaysWhenToRetry(Figures f) {
        assertThat(f.outcomes().keySet()).as("answers").noneMatch(o -> o.endsWith("without Retry-After"));
    }

    /** No group was seen running twice at any moment of the run. */
    static void assertNeverTwice(Figures f) {
        assertThat(f.duplicatesSeen()).as("groups seen running twice").isEmpty();
    }

    /** Every workload that ran before the fault runs still, in the same process. */
    static void assertNoneRestarted(Figures f) {
        assertThat(f.restarted()).as("running workloads restarted").isEmpty();
    }

    /** Deletes every group the run may have made; all of them are gone, with their containers. */
    void cleanUp() throws Exception {
        var names = load.mayExist();
        for (String n : names) {
            send(HttpRequest.newBuilder(URI.create(load.url(n))).DELETE());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, String> state;
        Map<String, List<Long>> census;
        do {
            Thread.sleep(1000);
            state = states(names);
            census = Census.take(markers(names));
        } while ((state.values().stream().anyMatch(s -> !s.equals("Gone")) || !census.isEmpty())
                && System.nanoTime() < deadline);
        var left = state.entrySet().stream().filter(e -> !e.getValue().equals("Gone")).toList();
        assertThat(left).as("every group is deleted").isEmpty();
        assertThat(census).as("no container is left running").isEmpty();
    }

    @Override
    public void close() throws Exception {
        sampling = false;
        if (sampler.isAlive()) {
            sampler.join();
        }
    }

    /**
     * Each group's state as the tenant sees it: "Running" (Succeeded and running), "Gone" (404), "Failed", or
     * another provisioning state (not terminal yet), "Unreachable" when the gateway does not answer.
     */
    private Map<String, String> states(Set<String> names) throws Exception {
        var out = new HashMap<String, String>();
        for (String n : names) {
            try {
                var r = send(HttpRequest.newBuilder(URI.create(load.url(n))).GET());
                if (r.statusCode() == 404) {
                    out.put(n, "Gone");
                } else if (r.statusCode() != 200) {
                    out.put(n, "HTTP " + r.statusCode());
                } else {
                    JsonNode g = Json.mapper().readTree(r.body());
                    String p = g.at("/properties/provisioningState").asText();
                    String s = g.at("/properties/instanceView/state").asText();
                    out.put(n, p.equals("Succeeded") && s.equals("Running") ? "Running" : p + "/" + s);
                }
            } catch (java.io.IOException e) {
                out.put(n, "Unreachable");
            }
        }
        return out;
    }

    /** Every group Running with one container, or Gone with none, or Failed. */
    private static boolean allTerminal(Map<String, String> state, Map<String, List<Long>> census) {
        return state.entrySet().stream().allMatch(e -> {
            int copies = census.getOrDefault(Workload.MARKER + e.getKey(), List.of()).size();
            return switch (e.getValue()) {
                case "Running" -> copies == 1;
                case "Gone" -> copies == 0;
                default -> e.getValue().startsWith("Failed");
            };
        });
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> markers(Set<String> names) {
        var out = new LinkedHashSet<String>();
        names.forEach(n -> out.add(Workload.MARKER + n));
        return out;
    }
}
