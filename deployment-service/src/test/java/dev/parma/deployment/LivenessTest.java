package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpsServer;
import dev.parma.contracts.Json;
import dev.parma.contracts.events.EventTypes;
import dev.parma.contracts.events.LivenessBreaker;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.NodeCommand;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.contracts.node.StartGroup;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.node.Liveness;
import dev.parma.deployment.node.NodeEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import dev.parma.testsupport.KafkaTestClient;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Liveness after issue 14: nodes are judged only in front of a caught-up observer, a silent node that answers is
 * not lost, a mass loss trips the breaker and moves nothing, a node that is gone has its groups moved, and one that
 * returns still running its groups keeps them. Groups ask for 100 GB, which only this class's nodes offer.
 */
@QuarkusTest
@DeploymentTestResources
class LivenessTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String Q = "?api-version=2025-09-01";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Liveness liveness;

    @Inject
    KafkaClientService kafka;

    @Test
    void aControlPlaneThatDidNotConsumeHeartbeatsBlamesNoNode() throws Exception {
        String run = run();
        try (var node = new TestNode(bootstrap, "lv-r-" + run).memory(200).heartbeat(1000, false)) {
            awaitNode(node.id);
            var g = running(node, "lv-r-" + run, "app");
            // the heartbeat consumer stops consuming, as in a restart or failover; the node's last heartbeat the
            // database has is an hour old (no endpoint: a probe could not save it)
            var consumer = kafka.<String, String>getConsumer("node-heartbeats");
            consumer.pause().await().atMost(WAIT);
            try {
                await().atMost(WAIT).until(() -> liveness.watchingSince().isEmpty());
                backdate(node.id);
                passes(3);
                assertThat(phase(g.groupId())).isEqualTo("Succeeded");
            } finally {
                consumer.resume().await().atMost(WAIT);
            }
            // caught up again: the node's heartbeats are read, and it was never lost
            await().atMost(WAIT).until(() -> liveness.watchingSince().isPresent());
            await().atMost(WAIT).until(() -> lastSeen(node.id).isAfter(Instant.now().minusSeconds(60)));
            passes(3);
            assertThat(phase(g.groupId())).isEqualTo("Succeeded");
            assertThat(node.kafka.drain(Duration.ofMillis(500))).noneMatch(r -> is(r.value(), DeleteGroup.class));
            stop(g);
            retire(node);
        }
    }

    @Test
    void aSilentNodeThatAnswersKeepsItsGroupsAndOneThatIsGoneHasThemMoved() throws Exception {
        String run = run();
        var probes = new AtomicInteger();
        HttpsServer agent = FakeNodeAgent.serving("lv-p-" + run);
        agent.createContext("/q/health/ready", exchange -> {
            probes.incrementAndGet();
            exchange.sendResponseHeaders(503, -1); // not ready, but there: alive
            exchange.close();
        });
        try (var node = new TestNode(bootstrap, "lv-p-" + run).memory(200).heartbeat(1000, false,
                FakeNodeAgent.endpoint(agent)); var spare = new TestNode(bootstrap, "lv-s-" + run).memory(200)) {
            awaitNode(node.id);
            var g = running(node, "lv-p-" + run, "app");
            spare.heartbeat(1000, false);
            awaitNode(spare.id);
            node.silence();
            await().atMost(WAIT).until(() -> !lastSeen(node.id).isBefore(node.lastBeat));
            backdate(node.id);
            await().atMost(WAIT).until(() -> probes.get() >= 3);
            assertThat(phase(g.groupId())).isEqualTo("Succeeded");
            assertThat(node(node.id).lostAt).isNull();

            // now it is gone: no heartbeat and no answer
            agent.stop(0);
            var moved = spare.await(StartGroup.class, g.groupId());
            assertThat(moved.generation()).isEqualTo(g.generation());
            spare.running(moved);
            await().atMost(WAIT).until(() -> "Succeeded".equals(phase(g.groupId())));
            assertThat(group(g.groupId()).nodeId).isEqualTo(spare.id);
            assertThat(node(node.id).lostAt).isNotNull();
            stop(g);
            retire(spare);
        } finally {
            agent.stop(0);
        }
    }

    @Test
    void aMassLossTripsTheBreakerAndMovesNothing() throws Exception {
        String run = run();
        var nodes = new ArrayList<TestNode>();
        var groups = new ArrayList<StartGroup>();
        try {
            for (int i = 0; i < 3; i++) {
                // 150 GB each: one 100 GB group per node
                var n = new TestNode(bootstrap, "lv-m" + i + "-" + run).memory(150).heartbeat(1000, false);
                nodes.add(n);
                awaitNode(n.id);
                groups.add(running(n, "lv-m-" + run, "app" + i));
            }
            long tripsBefore = trips();
            for (var n : nodes) {
                n.silence();
            }
            for (var n : nodes) {
                await().atMost(WAIT).until(() -> !lastSeen(n.id).isBefore(n.lastBeat));
                backdate(n.id);
            }
            await().atMost(WAIT).until(() -> liveness.breaker().open());
            passes(3);
            assertThat(trips()).isEqualTo(tripsBefore + 1); // once per episode, not per pass
            for (var g : groups) {
                assertThat(phase(g.groupId())).isEqualTo("Succeeded");
            }
            for (var n : nodes) {
                assertThat(node(n.id).lostAt).isNull();
                assertThat(n.kafka.drain(Duration.ofMillis(200))).noneMatch(r -> is(r.value(), DeleteGroup.class));
            }
            // the nodes come back: nothing was lost, the breaker closes
            for (var n : nodes) {
                n.heartbeat(1000, false);
            }
            await().atMost(WAIT).until(() -> !liveness.breaker().open());
            for (var g : groups) {
                assertThat(phase(g.groupId())).isEqualTo("Succeeded");
            }
            groups.forEach(this::stop);
            for (var n : nodes) {
                retire(n);
            }
        } finally {
            nodes.forEach(TestNode::close);
        }
    }

    @Test
    void aTrippedBreakerShowsInTheOverviewIsPublishedAndAnOperatorReleaseMovesTheGroups() throws Exception {
        String run = run();
        var nodes = new ArrayList<TestNode>();
        var groups = new ArrayList<StartGroup>();
        try (var events = new KafkaTestClient(bootstrap, EventTypes.LIFECYCLE_TOPIC)) {
            for (int i = 0; i < 3; i++) {
                var n = new TestNode(bootstrap, "lv-o" + i + "-" + run).memory(150).heartbeat(1000, false);
                nodes.add(n);
                awaitNode(n.id);
                groups.add(running(n, "lv-o-" + run, "app" + i));
            }
            var ids = nodes.stream().map(n -> n.id).toList();
            // no operator yet: there is nothing to release
            given().post("/admin/liveness/release").then().statusCode(409)
                    .body("error.code", equalTo("LivenessBreakerClosed"));
            for (var n : nodes) {
                n.silence();
            }
            for (var n : nodes) {
                await().atMost(WAIT).until(() -> !lastSeen(n.id).isBefore(n.lastBeat));
                backdate(n.id);
            }
            await().atMost(WAIT).until(() -> given().get("/admin/overview").then().statusCode(200).extract()
                    .jsonPath().getBoolean("liveness.open"));
            var overview = given().get("/admin/overview").then().statusCode(200).extract().jsonPath();
            assertThat(overview.getList("liveness.nodes", String.class)).containsAll(ids);
            assertThat(overview.getString("liveness.since")).isNotNull();
            assertThat(overview.getInt("liveness.allowed")).isLessThan(overview.getInt("liveness.fleet"));
            assertThat(overview.getDouble("liveness.maxLostShare")).isEqualTo(0.5);
            var opened = breakerEvent(events, EventTypes.LIVENESS_BREAKER_OPENED, ids);
            assertThat(opened.get("subject").asText()).isEqualTo(LivenessBreaker.KEY);
            for (var g : groups) {
                assertThat(phase(g.groupId())).isEqualTo("Succeeded");
            }

            // room elsewhere, then the operator says the nodes are gone: their groups move there
            try (var spare = new TestNode(bootstrap, "lv-os-" + run).memory(350).heartbeat(1000, false)) {
                awaitNode(spare.id);
                var released = given().post("/admin/liveness/release").then().statusCode(200).extract().jsonPath();
                assertThat(released.getList("nodes", String.class)).containsAll(ids);
                assertThat(released.getInt("groupsMoved")).isGreaterThanOrEqualTo(3);
                assertThat(given().get("/admin/overview").then().extract().jsonPath().getBoolean("liveness.open"))
                        .isFalse();
                breakerEvent(events, EventTypes.LIVENESS_BREAKER_CLOSED, ids);
                for (var g : groups) {
                    var moved = spare.await(StartGroup.class, g.groupId());
                    spare.running(moved);
                }
                for (var g : groups) {
                    await().atMost(WAIT).until(() -> "Succeeded".equals(phase(g.groupId())));
                    assertThat(group(g.groupId()).nodeId).isEqualTo(spare.id);
                }
                for (var n : nodes) {
                    assertThat(node(n.id).lostAt).isNotNull();
                }
                groups.forEach(this::stop);
                retire(spare);
            }
        } finally {
            nodes.forEach(TestNode::close);
        }
    }

    /** The breaker event of this type that names all of {@code nodes}. */
    private static com.fasterxml.jackson.databind.JsonNode breakerEvent(KafkaTestClient events, String type,
            List<String> nodes) {
        var record = events.await(r -> {
            var e = tree(r.value());
            return e != null && type.equals(e.path("type").asText()) && nodes.stream()
                    .allMatch(id -> e.path("data").path("nodes").toString().contains("\"" + id + "\""));
        }, WAIT);
        return tree(record.value());
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aNodeThatReturnsWithItsGroupsKeepsThem() throws Exception {
        String run = run();
        try (var node = new TestNode(bootstrap, "lv-b-" + run).memory(200).reporting().heartbeat(1000, false)) {
            awaitNode(node.id);
            var g = running(node, "lv-b-" + run, "app");
            node.silence();
            await().atMost(WAIT).until(() -> !lastSeen(node.id).isBefore(node.lastBeat));
            backdate(node.id);
            // lost (no endpoint to answer): the group waits for a node, as no other has 100 GB
            await().atMost(WAIT).until(() -> "Repairing".equals(phase(g.groupId())));
            assertThat(group(g.groupId()).nodeId).isNull();

            node.heartbeat(1000, false); // back, still running the group
            await().atMost(WAIT).until(() -> {
                // placement may take the waiting group back to the node just before its heartbeat adopts it: a
                // start of the generation the node already runs, which a node answers by reporting it running
                node.kafka.drain(Duration.ZERO).stream().map(r -> command(r.value()))
                        .filter(c -> c instanceof StartGroup s && s.groupId().equals(g.groupId())
                                && !s.commandId().equals(g.commandId()))
                        .forEach(s -> node.running((StartGroup) s));
                return "Succeeded".equals(phase(g.groupId()));
            });
            assertThat(group(g.groupId()).nodeId).isEqualTo(node.id);
            assertThat(node(node.id).lostAt).isNull();
            var commands = node.kafka.drain(Duration.ofMillis(500)).stream().map(r -> command(r.value()))
                    .filter(c -> c != null && c.groupId().equals(g.groupId())).toList();
            assertThat(commands).as("never deleted, never a new generation: the group was kept")
                    .allMatch(c -> c instanceof StartGroup s && s.generation() == g.generation());
            given().get(path("lv-b-" + run, "app")).then().body("properties.instanceView.events.name",
                    org.hamcrest.Matchers.hasItem("NodeLost"));
            stop(g);
            retire(node);
        }
    }

    // --- helpers

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String path(String sub, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/"
                + name;
    }

    /** Creates a 100 GB group in {@code sub}, lets {@code node} take and run it, and returns its start. */
    private static StartGroup running(TestNode node, String sub, String name) {
        String base = path(sub, name);
        given().contentType(ContentType.JSON).body("""
                {"location":"westeurope","properties":{"containers":[{"name":"c","properties":{"image":"busybox",
                "command":["sleep","999"],"resources":{"requests":{"cpu":1,"memoryInGB":100}}}}]}}""")
                .put(base + Q).then().statusCode(201);
        var start = node.await(StartGroup.class, null, s -> s.workload().resourceId().equals(base));
        if (node.runs != null) {
            node.runs.add(new NodeHeartbeat.Running(start.groupId(), start.generation()));
        }
        node.running(start);
        await().atMost(WAIT).until(() -> "Succeeded".equals(phase(start.groupId())));
        return start;
    }

    private void stop(StartGroup g) {
        var resourceId = g.workload().resourceId();
        given().post(resourceId + "/stop" + Q).then().statusCode(204);
    }

    /** The node offers no room any more (and is then silent): the next test's groups cannot land on it. */
    private static void drain(TestNode node) throws InterruptedException {
        node.drain(false, null);
        await().atMost(WAIT).until(() -> node(node.id).cpuCapacity == 0);
    }

    /**
     * The node goes away for good, alone: other classes' groups that landed on it are moved now, so nodes of this
     * class never fall silent together later (which would rightly trip the breaker for other classes).
     */
    private static void retire(TestNode node) throws InterruptedException {
        drain(node);
        backdate(node.id);
        await().atMost(WAIT).until(() -> node(node.id).lostAt != null || QuarkusTransaction.requiringNew()
                .call(() -> ContainerGroupEntity.count("nodeId = ?1 and phase <> 'Stopped'", node.id) == 0));
    }

    /** Waits until the reconciler made {@code n} more passes over the fleet. */
    private void passes(int n) {
        long target = liveness.checks() + n;
        await().atMost(WAIT).until(() -> liveness.checks() >= target);
    }

    private long trips() {
        var counter = io.micrometer.core.instrument.Metrics.globalRegistry.find("parma.liveness.breaker.trips")
                .counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private static void awaitNode(String id) {
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(() -> NodeEntity.findById(id) != null));
    }

    private static void backdate(String id) {
        QuarkusTransaction.requiringNew().run(() -> NodeEntity.update("lastSeen = ?1 where id = ?2",
                Instant.now().minusSeconds(3600), id));
    }

    private static Instant lastSeen(String id) {
        return node(id).lastSeen;
    }

    private static NodeEntity node(String id) {
        return QuarkusTransaction.requiringNew().call(() -> NodeEntity.<NodeEntity>findById(id));
    }

    private static ContainerGroupEntity group(String id) {
        return QuarkusTransaction.requiringNew().call(() -> ContainerGroupEntity.<ContainerGroupEntity>findById(id));
    }

    private static String phase(String groupId) {
        var g = group(groupId);
        return g == null ? null : g.phase;
    }

    private static NodeCommand command(String json) {
        try {
            return Json.mapper().readValue(json, NodeCommand.class);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean is(String json, Class<? extends NodeCommand> type) {
        return type.isInstance(command(json));
    }
}
