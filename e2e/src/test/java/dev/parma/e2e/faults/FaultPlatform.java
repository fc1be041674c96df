package dev.parma.e2e.faults;

import dev.parma.e2e.E2eAuth;
import dev.parma.e2e.ServiceProcess;
import dev.parma.identity.Principal;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.OciRegistry;
import dev.parma.testsupport.PostgresDatabases;
import dev.parma.testsupport.TestPki;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.sql.DriverManager;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The platform the fault cases break: the packaged deployment service, api-gateway and two node agents as
 * processes, a Kafka broker whose data and ports survive a restart, the local PostgreSQL and a real OCI registry.
 * Booted once per test run and shared by the cases (each heals what it broke); closed when the run ends.
 *
 * <p>Loss is judged fast so that the cases stay short: heartbeats every second, a node is lost after
 * {@link #LIVENESS} without one (and judged only that long after the control plane caught up with heartbeats), the
 * reconciler looks every 2 s. Nodes run standard groups only (no VM driver). {@code -Dparma.faults.apps=DIR} runs the
 * services' jars from a copy ({@code DIR/<module>/target/quarkus-app}) instead of this checkout.
 */
final class FaultPlatform implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    /** A node silent this long is lost (PARMA_DEPLOYMENT_NODE_LIVENESS). */
    static final int LIVENESS = 20;

    final Path root;
    private final Path kafkaDir;
    private final int kafkaPort;
    private final int controllerPort;
    private KafkaBroker kafka;
    private final OciRegistry registry = new OciRegistry();
    final Service deployment;
    final Service gateway;
    final List<Service> nodes = new ArrayList<>();
    final List<Path> nodeDirs = new ArrayList<>();

    static FaultPlatform shared(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(FaultPlatform.class, k -> {
                    try {
                        return new FaultPlatform();
                    } catch (Exception e) {
                        throw new IllegalStateException("fault platform did not start", e);
                    }
                }, FaultPlatform.class);
    }

    /** Gives a test method the shared platform: {@code @ExtendWith(FaultPlatform.Shared.class)}. */
    static final class Shared implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == FaultPlatform.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return shared(context);
        }
    }

    private FaultPlatform() throws Exception {
        root = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
        Path apps = Path.of(System.getProperty("parma.faults.apps", root.toString()));
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafkaDir = Files.createTempDirectory("parma-faults-kafka-");
        kafkaPort = ServiceProcess.freePort();
        controllerPort = ServiceProcess.freePort();
        kafka = KafkaBroker.start(kafkaDir, false, kafkaPort, controllerPort, TestPki.get());
        String mirror = registry.start().get("parma.node.registry-mirror");
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "PARMA_DB_USER",
                PostgresDatabases.USER, "PARMA_DB_PASSWORD", PostgresDatabases.PASSWORD);
        String db = PostgresDatabases.recreate("parma_e2e_faults");
        deployment = new Service(root, apps, "deployment-service", "faults-deployment-service", with(common,
                "PARMA_DEPLOYMENT_DB_URL", db,
                "PARMA_DEPLOYMENT_NODE_LIVENESS", LIVENESS + "s", "PARMA_DEPLOYMENT_RECONCILE_EVERY", "2s",
                "PARMA_DEPLOYMENT_LIVENESS_GRACE", LIVENESS + "s",
                "PARMA_DEPLOYMENT_QUOTA_STANDARD_CONTAINER_GROUPS", "100000",
                "PARMA_DEPLOYMENT_QUOTA_STANDARD_CORES", "100000"));
        gateway = new Service(root, apps, "api-gateway", "faults-api-gateway", E2eAuth.gatewayEnv(with(common,
                "PARMA_DEPLOYMENT_URL", deployment.url(), "PARMA_GATEWAY_DB_URL",
                PostgresDatabases.recreate("parma_e2e_faults_gateway"), "PARMA_LIMITS_WRITES_SHORT_MAX", "100000",
                "PARMA_LIMITS_WRITES_LONG_MAX", "100000")));
        for (String n : List.of("a", "b")) {
            String id = "faults-" + run + "-" + n;
            Path dir = root.resolve("e2e/target/nodes/faults-" + n);
            nodeDirs.add(dir);
            reap(dir); // an earlier run's groups, had it been interrupted
            delete(dir);
            kafka.authorize(Principal.node(id));
            nodes.add(new Service(root, apps, "node-agent", "faults-node-" + n, with(common, "PARMA_NODE_ID", id,
                    "PARMA_NODE_WORK_DIR", dir.toString(), "PARMA_NODE_REGISTRY_MIRROR", mirror,
                    "PARMA_NODE_HEARTBEAT_INTERVAL", "1s", "PARMA_NODE_DRIVER", "none")));
        }
        var all = new ArrayList<Service>(List.of(deployment, gateway));
        all.addAll(nodes);
        for (var s : all) {
            s.start();
        }
        parallel(all.stream().<Callable<Void>>map(s -> () -> {
            s.awaitReady();
            return null;
        }).toList());
        // the cases start once the control plane places on both nodes
        await().atMost(Service.BOOT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            try (var c = DriverManager.getConnection(db, PostgresDatabases.USER, PostgresDatabases.PASSWORD);
                    var rs = c.createStatement().executeQuery("SELECT count(*) FROM nodes WHERE id LIKE 'faults-"
                            + run + "-%'")) {
                return rs.next() && rs.getInt(1) == nodes.size();
            }
        });
    }

    /** Whatever a failed case left broken (a dead or frozen process, a stopped broker) runs again. */
    void heal() throws Exception {
        startBroker();
        for (var s : services()) {
            s.heal();
        }
    }

    List<Service> services() {
        var all = new ArrayList<Service>(List.of(deployment, gateway));
        all.addAll(nodes);
        return all;
    }

    /** A clean broker stop (its in-JVM server shut down); the data directory and ports are kept. */
    synchronized void stopBroker() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** The broker again on the same data directory and ports. */
    synchronized void startBroker() {
        if (kafka == null) {
            kafka = KafkaBroker.start(kafkaDir, false, kafkaPort, controllerPort, TestPki.get());
        }
    }

    @Override
    public void close() throws Exception {
        parallel(services().stream().<Callable<Void>>map(s -> () -> {
            s.stop();
            return null;
        }).toList());
        // groups outlive their agent by design: stop whatever the nodes left running
        nodeDirs.forEach(FaultPlatform::reap);
        stopBroker();
        registry.close();
        delete(kafkaDir);
    }

    /** Kills every process started from under {@code dir} (a node's runc and its containers). */
    private static void reap(Path dir) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString()))
                    .orElse(false)).forEach(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void parallel(List<Callable<Void>> tasks) throws Exception {
        var pool = Executors.newFixedThreadPool(tasks.size());
        try {
            for (var f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        var m = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
