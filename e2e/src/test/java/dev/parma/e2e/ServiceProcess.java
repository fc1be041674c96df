package dev.parma.e2e;

import dev.parma.identity.Principal;
import dev.parma.identity.Tls;
import dev.parma.testsupport.KafkaBroker;
import dev.parma.testsupport.TestPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged Quarkus service run as its own OS process, on a free port, logging to a file, with its platform
 * identity from the test JVM's PKI (node agents: {@code node-agent.<PARMA_NODE_ID>}). The deployment service and
 * node agents serve HTTPS with mutual TLS only; the tests call them as the operator.
 */
public final class ServiceProcess implements AutoCloseable {

    /** Presents the operator's certificate and trusts the platform CA (and nothing else). */
    static final HttpClient OPERATOR = HttpClient.newBuilder().sslContext(Tls.context(TestPki.operator())).build();
    private static final String DEV_MASTER_KEY = "cGFybWEtZGV2ZWxvcG1lbnQtbWFzdGVyLWtleS0wMDA=";

    public final String name;
    public final int port;
    public final Process process;
    public final Path log;
    final boolean tls;
    /** Where metrics and OpenAPI are served: the gateway's management interface, else the service's own port. */
    final int managementPort;

    private ServiceProcess(String name, int port, Process process, Path log, boolean tls, int managementPort) {
        this.name = name;
        this.tls = tls;
        this.managementPort = managementPort;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(Path root, String module, String name, Map<String, String> env) throws IOException {
        int port = freePort();
        // the gateway serves metrics and OpenAPI on its management interface, never on the tenant port
        int management = module.equals("api-gateway") ? freePort() : port;
        return start(root, root, module, name, env, port, management);
    }

    /**
     * {@code module}'s packaged jar from under {@code apps} (a checkout, or a copy of its services' quarkus-app
     * directories) on the given ports, so a process started again after a crash is found where its callers look.
     */
    public static ServiceProcess start(Path root, Path apps, String module, String name, Map<String, String> env,
            int port, int management) throws IOException {
        Path jar = apps.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
        }
        Path logs = Files.createDirectories(root.resolve("e2e/target/e2e-logs"));
        Path log = logs.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.ssl-port=" + port));
        cmd.add("-Dquarkus.management.port=" + management);
        cmd.addAll(List.of("-jar", jar.toString()));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Principal identity = module.equals("node-agent")
                ? Principal.node(env.get("PARMA_NODE_ID"))
                : Principal.fromCommonName(module);
        pb.environment().put("PARMA_IDENTITY_DIR", TestPki.identity(identity).path().toAbsolutePath().toString());
        pb.environment().put("PARMA_DEPLOYMENT_MASTER_KEY", DEV_MASTER_KEY);
        pb.environment().putAll(env);
        boolean tls = module.equals("node-agent") || module.equals("deployment-service");
        return new ServiceProcess(name, port, pb.start(), log, tls, management);
    }

    /** A node agent whose principal the broker has been told about (its own command topic, events, heartbeats). */
    static ServiceProcess startNode(Path root, KafkaBroker kafka, String name, Map<String, String> env)
            throws IOException {
        kafka.authorize(Principal.node(env.get("PARMA_NODE_ID")));
        return start(root, "node-agent", name, env);
    }

    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** Base URL of metrics and OpenAPI. */
    String managementUrl() {
        return managementPort == port ? url() : "http://127.0.0.1:" + managementPort;
    }

    /** Waits until /q/health/ready answers 200, failing early if the process dies. */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n"
                        + Files.readString(log));
            }
            try {
                var response = OPERATOR.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; log:\n" + Files.readString(log));
    }

    /** SIGKILL: the process gets no chance to clean up (a crash, an OOM kill, a power cut of the JVM). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the process is frozen as a hung host or a long GC pause freezes it; its sockets stay open. */
    public void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + rc);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    public static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
