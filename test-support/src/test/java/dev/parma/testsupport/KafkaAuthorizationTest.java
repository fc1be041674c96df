package dev.parma.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.contracts.Topics;
import dev.parma.identity.IdentityDir;
import dev.parma.identity.KafkaAcls;
import dev.parma.identity.Pki;
import dev.parma.identity.Principal;
import dev.parma.identity.ServiceName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as production runs it: mutual TLS on every listener, principals from certificates, deny by default.
 * A node reads only its own command topic; only the control plane writes commands; a certificate from another CA, or
 * none, gets nothing.
 */
class KafkaAuthorizationTest {

    static KafkaBroker broker;
    static IdentityDir node1;
    static IdentityDir node2;
    static IdentityDir deployment;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.startEphemeral();
        node1 = TestPki.identity(Principal.node("node-1"));
        node2 = TestPki.identity(Principal.node("node-2"));
        deployment = TestPki.identity(Principal.service(ServiceName.DEPLOYMENT_SERVICE));
        broker.authorize(Principal.node("node-1")).authorize(Principal.node("node-2"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void theControlPlaneCommandsANodeAndOnlyThatNodeReadsIt() {
        String topic = Topics.nodeCommands("node-1");
        send(deployment, topic, "start g1");
        assertThat(read(node1, topic, KafkaAcls.nodeGroup("node-1"))).contains("start g1");
        // node-2 may not read node-1's commands, not even under node-1's consumer group
        assertThatThrownBy(() -> read(node2, topic, KafkaAcls.nodeGroup("node-2")))
                .isInstanceOf(AuthorizationException.class);
        assertThatThrownBy(() -> read(node2, topic, KafkaAcls.nodeGroup("node-1")))
                .isInstanceOf(AuthorizationException.class);
    }

    @Test
    void aNodeCannotCommandAnyNodeButReportsEvents() {
        assertThatThrownBy(() -> send(node1, Topics.nodeCommands("node-2"), "delete g9"))
                .hasRootCauseInstanceOf(AuthorizationException.class);
        assertThatThrownBy(() -> send(node1, Topics.nodeCommands("node-1"), "start evil"))
                .hasRootCauseInstanceOf(AuthorizationException.class);
        send(node1, Topics.NODE_EVENTS, "status");
        send(node1, Topics.NODE_HEARTBEATS, "beat");
        // nor may a node read the other nodes' events
        assertThatThrownBy(() -> read(node1, Topics.NODE_EVENTS, KafkaAcls.DEPLOYMENT_GROUP))
                .isInstanceOf(AuthorizationException.class);
    }

    @Test
    void servicesWithoutKafkaBusinessGetNothing() {
        var gateway = TestPki.identity(Principal.service(ServiceName.API_GATEWAY));
        assertThatThrownBy(() -> send(gateway, Topics.nodeCommands("node-1"), "x"))
                .hasRootCauseInstanceOf(AuthorizationException.class);
        assertThatThrownBy(() -> read(gateway, Topics.NODE_EVENTS, "api-gateway"))
                .isInstanceOf(AuthorizationException.class);
    }

    @Test
    void aCertificateFromAnotherCaCannotConnect(@TempDir Path other) {
        var impostor = Pki.at(other).enroll(Principal.service(ServiceName.DEPLOYMENT_SERVICE),
                List.of("127.0.0.1"));
        assertThatThrownBy(() -> send(impostor, Topics.nodeCommands("node-1"), "x"))
                .isInstanceOf(KafkaException.class);
    }

    private static void send(IdentityDir who, String topic, String value) {
        var p = new HashMap<>(broker.clientProperties(who));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KafkaException("send to " + topic + " failed", e.getCause());
        }
    }

    private static List<String> read(IdentityDir who, String topic, String group) {
        Map<String, Object> c = new HashMap<>(broker.clientProperties(who));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "test-" + UUID.randomUUID());
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    var out = new java.util.ArrayList<String>();
                    records.forEach(r -> out.add(r.value()));
                    return out;
                }
            }
            return List.of();
        }
    }
}
