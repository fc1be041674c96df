package dev.parma.deployment.outbox;

import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.PlatformIdentityResource;
import dev.parma.testsupport.PostgresDatabases;
import dev.parma.testsupport.TestPki;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Dependencies a test can take away and bring back: a real Kafka broker that can be stopped and started again on
 * the same port and data, and PostgreSQL behind a {@link TcpGate}. The profile shrinks the relay's pauses and
 * Kafka's timeouts so an outage is seen in a few seconds; behaviour is production's.
 */
public class Outages implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "parma_deployment_outage_test";

    private static Path dir;
    private static int port;
    private static int controllerPort;
    static volatile KafkaBroker broker;
    static volatile TcpGate database;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("parma-kafka-outage-");
            port = freePort();
            controllerPort = freePort();
            startBroker();
            String url = PostgresDatabases.ensure(DATABASE);
            String[] hostPort = PostgresDatabases.HOST.split(":");
            database = new TcpGate(hostPort[0], Integer.parseInt(hostPort[1]));
            return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                    "quarkus.datasource.jdbc.url", url.replace(PostgresDatabases.HOST, "127.0.0.1:" + database.port()),
                    "quarkus.datasource.username", PostgresDatabases.USER,
                    "quarkus.datasource.password", PostgresDatabases.PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void startBroker() {
        broker = KafkaBroker.start(dir, false, port, controllerPort, TestPki.get());
    }

    static void stopBroker() {
        broker.close();
    }

    /** PostgreSQL goes away for the service: live connections drop, new ones are turned away. */
    public static void cutDatabase() {
        database.cut();
    }

    public static void restoreDatabase() {
        database.restore();
    }

    @Override
    public void stop() {
        database.close();
        broker.close();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The deployment service with its identity, on {@link Outages}. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parma.deployment.outbox.retry-initial", "100ms",
                    "parma.deployment.outbox.retry-max", "1s",
                    "mp.messaging.outgoing.node-commands.max.block.ms", "1000",
                    "mp.messaging.outgoing.node-commands.request.timeout.ms", "1000",
                    "mp.messaging.outgoing.node-commands.delivery.timeout.ms", "2000",
                    "kafka.reconnect.backoff.max.ms", "1000",
                    "quarkus.datasource.jdbc.acquisition-timeout", "2S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PlatformIdentityResource.class,
                    Map.of("principal", "deployment-service")), new TestResourceEntry(Outages.class));
        }
    }
}
