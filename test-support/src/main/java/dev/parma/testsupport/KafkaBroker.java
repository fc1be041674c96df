package dev.parma.testsupport;

import dev.parma.identity.IdentityDir;
import dev.parma.identity.KafkaAcls;
import dev.parma.identity.KafkaTls;
import dev.parma.identity.Pki;
import dev.parma.identity.Principal;
import dev.parma.identity.ServiceName;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), started in this JVM. Tests use
 * it through {@link KafkaBrokerResource}; the local run script starts it as its own process through
 * {@link #main(String[])}.
 *
 * <p>Secured as production is: every listener (the controller's too) is TLS with client certificates from the
 * platform CA, the principal is the certificate's CN, and the standard authorizer denies whatever no ACL allows.
 * The broker and the {@code operator.parma} operator are super users; the deployment service gets its ACLs at
 * start, nodes when they are {@linkplain #authorize(Principal) authorized} ({@link KafkaAcls}).
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final boolean deleteOnClose;
    private final int port;
    private final KafkaRaftServer server;
    private final IdentityDir operator;

    private KafkaBroker(Path dir, boolean deleteOnClose, int port, KafkaRaftServer server, IdentityDir operator) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.server = server;
        this.operator = operator;
    }

    /**
     * Starts a broker on free loopback ports with its data in a temporary directory removed on close, trusting the
     * test JVM's {@link TestPki}.
     */
    public static KafkaBroker startEphemeral() {
        try {
            return start(Files.createTempDirectory("parma-kafka-"), true, freePort(), freePort(), TestPki.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker with its data in {@code dir}, formatting the storage on first use, with its identity (and the
     * operator's) from {@code pki}. Returns once the broker serves and the deployment service's ACLs exist.
     */
    public static KafkaBroker start(Path dir, boolean deleteOnClose, int port, int controllerPort, Pki pki) {
        var loopback = List.of("127.0.0.1", "localhost");
        IdentityDir identity = pki.ensure(Principal.service(ServiceName.KAFKA_BROKER), loopback);
        IdentityDir operator = pki.ensure(TestPki.OPERATOR, loopback);
        try {
            Files.createDirectories(dir);
            Path logs = dir.resolve("data");
            Path config = dir.resolve("server.properties");
            Properties props = properties(logs, port, controllerPort, identity);
            try (var out = Files.newOutputStream(config)) {
                props.store(out, "parma single-node KRaft broker");
            }
            if (!Files.exists(logs.resolve("meta.properties"))) {
                int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c",
                        config.toString()}, new PrintStream(OutputStream.nullOutputStream()));
                if (rc != 0) {
                    throw new IllegalStateException("kafka storage format failed with exit code " + rc);
                }
            }
            var server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            var broker = new KafkaBroker(dir, deleteOnClose, port, server, operator);
            broker.authorize(Principal.service(ServiceName.DEPLOYMENT_SERVICE));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(Path logs, int port, int controllerPort, IdentityDir identity) {
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SSL://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "SSL");
        p.put("listener.security.protocol.map", "SSL:SSL,CONTROLLER:SSL");
        // mutual TLS on every listener, principals from the certificate's CN, deny unless an ACL allows
        p.put("ssl.client.auth", "required");
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.location", identity.keystoreFile().toAbsolutePath().toString());
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", identity.caFile().toAbsolutePath().toString());
        p.put("ssl.principal.mapping.rules", KafkaTls.PRINCIPAL_MAPPING_RULES);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + ServiceName.KAFKA_BROKER.id() + ";User:" + TestPki.OPERATOR.commonName());
        p.put("log.dirs", logs.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The default reserves 128 MB of heap for log compaction; a dev broker needs a fraction of that.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Client settings for {@code identity}: the bootstrap servers and mutual TLS. */
    public Map<String, Object> clientProperties(IdentityDir identity) {
        var props = new HashMap<String, Object>(KafkaTls.clientProperties(identity));
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** Client settings for the operator (a super user). */
    public Map<String, Object> operatorProperties() {
        return clientProperties(operator);
    }

    /** Creates {@code principal}'s ACLs ({@link KafkaAcls}) as the operator. */
    public KafkaBroker authorize(Principal principal) {
        try (var admin = Admin.create(operatorProperties())) {
            KafkaAcls.apply(admin, principal);
        }
        return this;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temp dir left behind is harmless
            }
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * {@code KafkaBroker <dataDir> <port> <controllerPort> <pkiDir> [principal…]}: runs a broker until the process is
     * stopped, with its identity from the PKI in {@code pkiDir}, authorizing the given principals (node agents) at
     * start.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 4) {
            System.err.println("usage: KafkaBroker <dataDir> <port> <controllerPort> <pkiDir> [principal...]");
            System.exit(2);
        }
        var broker = start(Path.of(args[0]), false, Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Pki.at(Path.of(args[3])));
        Arrays.stream(args).skip(4).map(Principal::fromCommonName).forEach(broker::authorize);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        System.out.println("Kafka broker ready on " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
