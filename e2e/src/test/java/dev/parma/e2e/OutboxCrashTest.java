package dev.parma.e2e;

import dev.parma.identity.Pem;
import dev.parma.identity.Principal;
import dev.parma.identity.ServiceName;
import dev.parma.identity.Tls;
import dev.parma.testsupport.TestPki;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.NodeCommand;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.contracts.node.StartGroup;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.KafkaTestClient;
import dev.parma.testsupport.PostgresDatabases;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The outbox under SIGKILL: creates keep arriving while the deployment service is killed (kill -9) three times at
 * random moments and restarted. Afterwards every committed group's command reached its node's topic (nothing
 * lost), every outbox row is marked sent, and no command was invented twice: re-publication after a crash
 * repeats the same command id, which the node dedupes (nothing applied twice).
 */
class OutboxCrashTest {

    @Test
    void killingTheServiceMidStreamLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("parma.seed", System.nanoTime());
        // the deployment service's only ARM caller is the gateway: the test calls it with the gateway's certificate
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Tls.context(
                TestPki.identity(Principal.service(ServiceName.API_GATEWAY)))).build();
        System.out.println("crash test seed: " + seed + " (replay with -Dparma.seed=" + seed + ")");
        var random = new SplittableRandom(seed);
        Path root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        String node = "crash-node";
        try (var kafka = KafkaBroker.startEphemeral();
                var nodeSide = new KafkaTestClient(kafka.bootstrapServers(), Topics.nodeCommands(node))) {
            String db = PostgresDatabases.recreate("parma_e2e_crash");
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "PARMA_DEPLOYMENT_DB_URL", db, "PARMA_DB_USER", PostgresDatabases.USER, "PARMA_DB_PASSWORD",
                    PostgresDatabases.PASSWORD, "PARMA_DEPLOYMENT_QUOTA_STANDARD_CONTAINER_GROUPS", "100000");
            // a node is placed on only with its sealing certificate (secrets travel sealed to it)
            String sealing = Pem.encode(TestPki.identity(Principal.node(node)).sealing().orElseThrow().chain());
            var beats = Executors.newSingleThreadScheduledExecutor();
            beats.scheduleAtFixedRate(() -> nodeSide.send(Topics.NODE_HEARTBEATS, node, json(new NodeHeartbeat(node,
                    "none", false, false, null, 10_000, 10_000, 0, 0, 0, Instant.now(), null, null, sealing))), 0, 1,
                    TimeUnit.SECONDS);
            var accepted = new HashSet<String>();
            int next = 0;
            try {
                for (int round = 0; round < 4; round++) {
                    var service = ServiceProcess.start(root, "deployment-service", "crash-" + round, env);
                    try {
                        service.awaitReady(Duration.ofSeconds(90));
                        awaitNode(db, node);
                        // Fire creates in parallel; on all but the last round, SIGKILL the service while they fly.
                        var inFlight = new ArrayList<CompletableFuture<HttpResponse<String>>>();
                        var names = new ArrayList<String>();
                        int batch = 60;
                        // Kill once some creates have been answered and others are still in flight.
                        int killAfterAnswers = round < 3 ? 5 + random.nextInt(20) : Integer.MAX_VALUE;
                        var answered = new java.util.concurrent.atomic.AtomicInteger();
                        // Killed rounds keep sending until enough answers came back; the last round sends a batch.
                        for (int i = 0; round < 3 ? i < 400 : i < batch; i++, next++) {
                            String name = "g" + next;
                            names.add(name);
                            inFlight.add(http.sendAsync(put(service, name), HttpResponse.BodyHandlers.ofString())
                                    .whenComplete((r, e) -> answered.incrementAndGet()));
                            if (answered.get() >= killAfterAnswers) {
                                break;
                            }
                            Thread.sleep(5 + random.nextInt(20));
                        }
                        if (round < 3) {
                            service.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9
                        }
                        var statuses = new java.util.TreeMap<String, Integer>();
                        for (int i = 0; i < inFlight.size(); i++) {
                            try {
                                int status = inFlight.get(i).get(30, TimeUnit.SECONDS).statusCode();
                                statuses.merge(String.valueOf(status), 1, Integer::sum);
                                if (status == 201) {
                                    accepted.add(names.get(i));
                                }
                            } catch (Exception killed) {
                                statuses.merge("lost", 1, Integer::sum);
                                // the answer was lost with the process; the database tells what committed
                            }
                        }
                        System.out.println("crash test round " + round + ": " + statuses);
                        if (round == 3) {
                            awaitAllSent(db);
                        }
                    } finally {
                        service.close();
                    }
                }
            } finally {
                beats.shutdownNow();
            }

            Map<String, Long> committed = committedGroups(db); // group id -> generation
            assertThat(committed.size()).as("every acknowledged create is in the database")
                    .isGreaterThanOrEqualTo(accepted.size());
            assertThat(committed.size()).as("creates committed before the kills too, not only in the last round")
                    .isGreaterThan(60);

            // the node's consumer first polls now (joining its group takes a while on a loaded machine): read until
            // every committed group's command has arrived or a generous bound passes, then a little longer so that a
            // duplicate sent late would be seen too
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            var records = nodeSide.drain(Duration.ofSeconds(3));
            while (System.nanoTime() < until && !startedGroups(records).containsAll(committed.keySet())) {
                records = nodeSide.drain(Duration.ofSeconds(1));
            }
            records = nodeSide.drain(Duration.ofSeconds(2));
            var commandsByGroup = new HashMap<String, java.util.Set<String>>();
            for (var r : records) {
                var command = (NodeCommand) Json.mapper().readValue(r.value(), NodeCommand.class);
                if (command instanceof StartGroup) {
                    commandsByGroup.computeIfAbsent(command.groupId(), k -> new HashSet<>()).add(command.commandId());
                }
            }
            assertThat(commandsByGroup.keySet()).as("no committed group's command was lost")
                    .containsAll(committed.keySet());
            assertThat(commandsByGroup.keySet()).as("no command for a group that was rolled back")
                    .isSubsetOf(committed.keySet());
            assertThat(commandsByGroup.values()).as("each group got exactly one distinct start command")
                    .allSatisfy(ids -> assertThat(ids).hasSize(1));
            System.out.printf("crash test: %d groups committed, %d start records on the node topic (%d re-sent)%n",
                    committed.size(), records.size(), records.size() - committed.size());
        }
    }

    static java.util.Set<String> startedGroups(List<ConsumerRecord<String, String>> records) throws Exception {
        var out = new HashSet<String>();
        for (var r : records) {
            if (Json.mapper().readValue(r.value(), NodeCommand.class) instanceof StartGroup s) {
                out.add(s.groupId());
            }
        }
        return out;
    }

    static HttpRequest put(ServiceProcess service, String name) {
        String body = "{\"location\":\"westeurope\",\"properties\":{\"containers\":[{\"name\":\"c\",\"properties\":"
                + "{\"image\":\"busybox\",\"command\":[\"true\"],\"resources\":{\"requests\":{\"cpu\":0.1,"
                + "\"memoryInGB\":0.1}}}}]}}";
        return HttpRequest.newBuilder(URI.create(service.url() + "/subscriptions/crash/resourceGroups/rg/providers"
                + "/Microsoft.ContainerInstance/containerGroups/" + name + "?api-version=2025-09-01"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static void awaitNode(String db, String node) {
        await().atMost(Duration.ofSeconds(30)).until(() -> query(db, "SELECT count(*) FROM nodes WHERE id = '" + node
                + "'") == 1);
    }

    /**
     * Every committed group placed (a group created while its node looked stale after a restart waits Pending until
     * the reconciler's next pass) and every command sent.
     */
    static void awaitAllSent(String db) {
        await().atMost(Duration.ofSeconds(60)).until(() -> query(db,
                "SELECT count(*) FROM container_groups WHERE node_id IS NULL") == 0
                && query(db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0);
    }

    static Map<String, Long> committedGroups(String db) throws Exception {
        var out = new HashMap<String, Long>();
        try (var c = DriverManager.getConnection(db, PostgresDatabases.USER, PostgresDatabases.PASSWORD);
                var rs = c.createStatement().executeQuery("SELECT id, generation FROM container_groups")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    static long query(String db, String sql) throws Exception {
        try (var c = DriverManager.getConnection(db, PostgresDatabases.USER, PostgresDatabases.PASSWORD);
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String json(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
