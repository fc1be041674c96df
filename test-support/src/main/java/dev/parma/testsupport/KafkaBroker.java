package dev.parma.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), started in this JVM. Tests use
 * it through {@link KafkaBrokerResource}; the local run script starts it as its own process through
 * {@link #main(String[])}.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final boolean deleteOnClose;
    private final int port;
    private final KafkaRaftServer server;

    private KafkaBroker(Path dir, boolean deleteOnClose, int port, KafkaRaftServer server) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.server = server;
    }

    /** Starts a broker on free loopback ports with its data in a temporary directory removed on close. */
    public static KafkaBroker startEphemeral() {
        try {
            return start(Files.createTempDirectory("parma-kafka-"), true, freePort(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker with its data in {@code dir}, formatting the storage on first use. Returns once the
     * broker serves.
     */
    public static KafkaBroker start(Path dir, boolean deleteOnClose, int port, int controllerPort) {
        try {
            Files.createDirectories(dir);
            Path logs = dir.resolve("data");
            Path config = dir.resolve("server.properties");
            Properties props = properties(logs, port, controllerPort);
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
            return new KafkaBroker(dir, deleteOnClose, port, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(Path logs, int port, int controllerPort) {
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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

    /** {@code KafkaBroker <dataDir> <port> <controllerPort>}: runs a broker until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: KafkaBroker <dataDir> <port> <controllerPort>");
            System.exit(2);
        }
        var broker = start(Path.of(args[0]), false, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        System.out.println("Kafka broker ready on " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
