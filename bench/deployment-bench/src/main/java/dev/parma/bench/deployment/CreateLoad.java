package dev.parma.bench.deployment;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.identity.Pem;
import dev.parma.identity.Principal;
import dev.parma.identity.ServiceName;
import dev.parma.identity.Tls;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.PostgresDatabases;
import dev.parma.testsupport.TestPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Creates accepted <em>and scheduled</em> per second: the packaged deployment-service as its own process, on a real
 * broker and PostgreSQL, with {@code nodes} registered nodes heartbeating; creates are fired open-loop at
 * {@code rate}/s for {@code seconds}. A create counts when it answers 201 with provisioningState Creating (the
 * group is placed on a node and its command is in the outbox). Bounded: it stops by itself.
 *
 * <p>
 * Usage: {@code java -cp … CreateLoad [nodes=1000] [rate=250] [seconds=60] [inflight=64]}
 */
public final class CreateLoad {

    public static void main(String[] args) throws Exception {
        int nodes = arg(args, 0, 1000);
        int rate = arg(args, 1, 250);
        int seconds = arg(args, 2, 60);
        int inflight = arg(args, 3, 64);
        Path root = Path.of(System.getProperty("parma.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("deployment-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: ./mvnw -Dquick -DskipTests install first");
        }
        try (var kafka = KafkaBroker.startEphemeral()) {
            String db = PostgresDatabases.recreate("parma_bench_deployment");
            int port = freePort();
            Path log = Files.createTempFile("deployment-bench-", ".log");
            var pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Dquarkus.http.ssl-port=" + port, "-Dquarkus.log.level=WARN", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "PARMA_IDENTITY_DIR", TestPki.identity(Principal.service(ServiceName.DEPLOYMENT_SERVICE)).path()
                            .toAbsolutePath().toString(),
                    "PARMA_DEPLOYMENT_MASTER_KEY", "cGFybWEtYmVuY2gtb25seS1tYXN0ZXIta2V5LTAwMDA=",
                    "PARMA_DEPLOYMENT_DB_URL", db,
                    "PARMA_DEPLOYMENT_QUOTA_STANDARD_CORES", "1000000",
                    "PARMA_DEPLOYMENT_QUOTA_STANDARD_CONTAINER_GROUPS", "1000000"));
            var service = pb.start();
            // the simulated fleet heartbeats as the operator, each node with its own sealing certificate (the control
            // plane places nothing on a node without one)
            var props = new java.util.HashMap<>(kafka.operatorProperties());
            props.put("linger.ms", 5);
            var certificates = sealingCertificates(nodes);
            try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                var beats = Executors.newSingleThreadScheduledExecutor();
                beats.scheduleAtFixedRate(() -> heartbeat(producer, certificates), 0, 5, TimeUnit.SECONDS);
                awaitReady(port, service, log);
                awaitNodes(db, nodes);
                System.out.printf("deployment-service ready, %d nodes registered; %d creates/s for %d s%n", nodes,
                        rate, seconds);
                warmUp(port);
                var result = run(port, rate, seconds, inflight);
                beats.shutdownNow();
                System.out.println(result);
            } finally {
                service.destroy();
                service.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    record Result(int rate, int seconds, long scheduled, long otherOk, long errors, double elapsed, long p50us,
            long p90us, long p99us, long maxUs) {
        @Override
        public String toString() {
            return String.format("target %d/s for %d s: %d scheduled (+%d accepted not yet placed, %d errors) in %.1f s"
                    + " = %.1f scheduled creates/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                    rate, seconds, scheduled, otherOk, errors, elapsed, scheduled / elapsed, p50us / 1000.0,
                    p90us / 1000.0, p99us / 1000.0, maxUs / 1000.0);
        }
    }

    static Result run(int port, int rate, int seconds, int inflight) throws Exception {
        var http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).sslContext(GATEWAY).build();
        var permits = new Semaphore(inflight);
        var latencies = new ConcurrentLinkedQueue<Long>();
        var scheduled = new AtomicLong();
        var otherOk = new AtomicLong();
        var errors = new AtomicLong();
        var seq = new AtomicInteger();
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            permits.acquire();
            int n = seq.incrementAndGet();
            long sent = System.nanoTime();
            http.sendAsync(put(port, "bench-sub-" + (n % 100), "g" + n), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        // latency from when the request was due, so a backlog counts against us (open loop)
                        latencies.add((System.nanoTime() - Math.min(sent, due)) / 1000);
                        if (e != null || r.statusCode() != 201) {
                            errors.incrementAndGet();
                        } else if (r.body().contains("\"provisioningState\":\"Creating\"")) {
                            scheduled.incrementAndGet();
                        } else {
                            otherOk.incrementAndGet();
                        }
                        permits.release();
                    });
        }
        permits.acquire(inflight);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(rate, seconds, scheduled.get(), otherOk.get(), errors.get(), elapsed, pct(sorted, 0.50),
                pct(sorted, 0.90), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    /** The deployment service's only ARM caller is the gateway; the load comes with its certificate. */
    static final javax.net.ssl.SSLContext GATEWAY = Tls.context(TestPki.identity(Principal.service(
            ServiceName.API_GATEWAY)));

    static void warmUp(int port) throws Exception {
        var http = HttpClient.newBuilder().sslContext(GATEWAY).build();
        for (int i = 0; i < 200; i++) {
            http.send(put(port, "warmup", "w" + i), HttpResponse.BodyHandlers.discarding());
        }
    }

    static HttpRequest put(int port, String sub, String name) {
        String body = "{\"location\":\"westeurope\",\"properties\":{\"containers\":[{\"name\":\"c\",\"properties\":"
                + "{\"image\":\"busybox\",\"command\":[\"sleep\",\"60\"],\"resources\":{\"requests\":{\"cpu\":0.5,"
                + "\"memoryInGB\":0.5}}}}]}}";
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/subscriptions/" + sub
                + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/" + name
                + "?api-version=2025-09-01")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static Map<String, String> sealingCertificates(int nodes) {
        var out = new java.util.TreeMap<String, String>();
        for (int i = 0; i < nodes; i++) {
            String id = String.format("bench-node-%04d", i);
            out.put(id, Pem.encode(TestPki.identity(Principal.node(id)).sealing().orElseThrow().chain()));
        }
        return out;
    }

    static void heartbeat(KafkaProducer<String, String> producer, Map<String, String> certificates) {
        var now = Instant.now();
        for (var node : certificates.entrySet()) {
            String id = node.getKey();
            try {
                producer.send(new ProducerRecord<>(Topics.NODE_HEARTBEATS, id, Json.mapper().writeValueAsString(
                        new NodeHeartbeat(id, "none", false, false, null, 64, 256, 0, 0, 0, now, null, null,
                                node.getValue()))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static void awaitReady(int port, Process service, Path log) throws Exception {
        var http = HttpClient.newBuilder().sslContext(GATEWAY).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("deployment-service died:\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("deployment-service not ready");
    }

    static void awaitNodes(String jdbcUrl, int nodes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (var c = DriverManager.getConnection(jdbcUrl, PostgresDatabases.USER, PostgresDatabases.PASSWORD);
                    var rs = c.createStatement().executeQuery("SELECT count(*) FROM nodes")) {
                rs.next();
                if (rs.getInt(1) >= nodes) {
                    return;
                }
            } catch (java.sql.SQLException notYet) {
                // schema not migrated yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("nodes did not register");
    }

    static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private CreateLoad() {
    }
}
