package dev.parma.deployment;

import dev.parma.contracts.Json;
import dev.parma.contracts.Topics;
import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.GroupRemoved;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.NodeCommand;
import dev.parma.contracts.node.NodeHeartbeat;
import dev.parma.contracts.node.StartGroup;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.WorkloadSecrets;
import dev.parma.identity.Pem;
import dev.parma.identity.Principal;
import dev.parma.identity.SealedBox;
import dev.parma.testsupport.KafkaTestClient;
import dev.parma.testsupport.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The test playing one node over the real broker: heartbeats, reads its own command topic, reports back. */
final class TestNode implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final String id;
    final KafkaTestClient kafka;

    TestNode(String bootstrap, String id) {
        this.id = id;
        this.kafka = new KafkaTestClient(bootstrap, Topics.nodeCommands(id));
    }

    private volatile java.util.concurrent.ScheduledExecutorService beats = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor();

    /** Starts heartbeating every second, like a live node agent. */
    TestNode heartbeat(double cpu, boolean snp) {
        return heartbeat(cpu, snp, null);
    }

    /** Heartbeats that announce the node agent's HTTP endpoint (logs, overhead). */
    TestNode heartbeat(double cpu, boolean snp, String endpoint) {
        if (beats.isShutdown()) { // beating again after silence: the node is back
            beats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        }
        beats.scheduleAtFixedRate(() -> beat(cpu, snp, endpoint), 0, 1, java.util.concurrent.TimeUnit.SECONDS);
        return this;
    }

    /**
     * The node stops beating after one last heartbeat offering no CPU: until it is declared lost (30 s), the shared
     * application places no other test class's group on it.
     */
    void drain(boolean snp, String endpoint) throws InterruptedException {
        silence();
        beat(0, snp, endpoint);
    }

    /** When the last heartbeat was sent (as the heartbeat says, to PostgreSQL's microsecond precision). */
    volatile Instant lastBeat;

    /** Memory the node offers (GB). */
    volatile double memory = 64;
    /** What the node says it runs, or null for a node that does not say (heartbeats before issue 14). */
    volatile java.util.Set<NodeHeartbeat.Running> runs;

    /** Offers this much memory: groups asking more than other classes' nodes have land only here. */
    TestNode memory(double gb) {
        memory = gb;
        return this;
    }

    /** Heartbeats say what the node runs: nothing yet, then what {@link #runs} holds. */
    TestNode reporting() {
        runs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return this;
    }

    private void beat(double cpu, boolean snp, String endpoint) {
        var now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        var running = runs == null ? null : List.copyOf(runs);
        send(Topics.NODE_HEARTBEATS, id, new NodeHeartbeat(id, snp ? "sim" : "none", snp, snp,
                snp ? "db18000000000004" : null, cpu, memory, 0, 0, 0, now, endpoint, null, sealingCertificate(id),
                running));
        lastBeat = now;
    }

    /**
     * The node goes silent, as if it crashed. Returns once no heartbeat is being sent any more: a test that then
     * backdates the node must still wait for the last one to be consumed ({@link #lastBeat}), or it wins the race.
     */
    void silence() throws InterruptedException {
        beats.shutdownNow();
        if (!beats.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("heartbeats of " + id + " did not stop");
        }
    }

    <T extends NodeCommand> T await(Class<T> type, String groupId) {
        return await(type, groupId, c -> true);
    }

    private final java.util.Set<String> taken = new java.util.HashSet<>();

    /**
     * The next command of this type (for this group, if given) that matches and was not returned before, in the
     * order the node got them; a re-delivered command (same id) is not returned twice.
     */
    <T extends NodeCommand> T await(Class<T> type, String groupId, java.util.function.Predicate<T> match) {
        var record = kafka.await(r -> {
            try {
                var c = Json.mapper().readValue(r.value(), NodeCommand.class);
                return type.isInstance(c) && (groupId == null || c.groupId().equals(groupId))
                        && !taken.contains(c.commandId()) && match.test(type.cast(c));
            } catch (Exception e) {
                return false;
            }
        }, WAIT);
        try {
            var command = type.cast(Json.mapper().readValue(record.value(), NodeCommand.class));
            taken.add(command.commandId());
            return command;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The node's sealing certificate (PEM) from the test PKI: the control plane places nothing without one. */
    static String sealingCertificate(String nodeId) {
        return Pem.encode(TestPki.identity(Principal.node(nodeId)).sealing().orElseThrow().chain());
    }

    /** {@code start}'s workload with its sealed secrets opened, as the node agent would see it. */
    static GroupWorkload opened(StartGroup start, String nodeId) {
        if (start.sealedSecrets() == null) {
            return start.workload();
        }
        var key = TestPki.identity(Principal.node(nodeId)).sealing().orElseThrow().key();
        try {
            return Json.mapper().readValue(SealedBox.open(start.sealedSecrets(), key, start.sealBinding()),
                    WorkloadSecrets.class).fill(start.workload());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    void running(StartGroup start) {
        var now = Instant.now();
        var containers = start.workload().containers().stream()
                .map(c -> new ContainerStatus(c.name(), ContainerState.running(now), null, 0)).toList();
        send(Topics.NODE_EVENTS, start.groupId(), new GroupStatus(UUID.randomUUID().toString(), id, start.groupId(),
                start.generation(), GroupRuntimeState.Running, containers,
                List.of(InstanceEvent.normal(null, "Started", "Started group", now)), now));
    }

    /**
     * The group's container is waiting, refused by the guest, with this event (as a node agent reports it). Returns
     * the status sent, so a test can {@link #redeliver} it.
     */
    GroupStatus containerEvent(StartGroup start, InstanceEvent event) {
        var containers = start.workload().containers().stream()
                .map(c -> new ContainerStatus(c.name(), ContainerState.waiting(event.name()), null, 0)).toList();
        var status = new GroupStatus(UUID.randomUUID().toString(), id, start.groupId(), start.generation(),
                GroupRuntimeState.Pending, containers, List.of(event), event.timestamp());
        send(Topics.NODE_EVENTS, start.groupId(), status);
        return status;
    }

    /** Sends a status again, same event id, as Kafka redelivers a record the consumer had not committed. */
    void redeliver(GroupStatus status) {
        send(Topics.NODE_EVENTS, status.groupId(), status);
    }

    void removed(DeleteGroup delete) {
        send(Topics.NODE_EVENTS, delete.groupId(), new GroupRemoved(UUID.randomUUID().toString(), id,
                delete.groupId(), delete.generation(), Instant.now()));
    }

    private void send(String topic, String key, Object value) {
        try {
            kafka.send(topic, key, Json.mapper().writeValueAsString(value));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        beats.shutdownNow();
        kafka.close();
    }
}
