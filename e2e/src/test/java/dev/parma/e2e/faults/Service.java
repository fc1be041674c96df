package dev.parma.e2e.faults;

import dev.parma.e2e.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One of the platform's services as a slot that outlives its process: killed, it is started again from the same
 * jar on the same ports with the same environment (and work directory), as an orchestrator restarts a crashed pod.
 */
final class Service {

    static final Duration BOOT = Duration.ofSeconds(120);

    final String name;
    private final Path root;
    private final Path apps;
    private final String module;
    private final Map<String, String> env;
    final int port;
    private final int management;
    private ServiceProcess process;
    private boolean paused;
    private int starts;

    Service(Path root, Path apps, String module, String name, Map<String, String> env) throws Exception {
        this.root = root;
        this.apps = apps;
        this.module = module;
        this.name = name;
        this.env = env;
        this.port = ServiceProcess.freePort();
        this.management = module.equals("api-gateway") ? ServiceProcess.freePort() : port;
    }

    synchronized Service start() throws Exception {
        if (process == null || !process.process.isAlive()) {
            process = ServiceProcess.start(root, apps, module, name + "-" + starts++, env, port, management);
        }
        return this;
    }

    void awaitReady() throws Exception {
        current().awaitReady(BOOT);
    }

    /** kill -9. */
    void kill() throws Exception {
        current().kill();
    }

    void pause() throws Exception {
        current().pause();
        paused = true;
    }

    void resume() throws Exception {
        current().resume();
        paused = false;
    }

    /** Running and not frozen; a case that failed half-way may leave either, and the next case needs neither. */
    void heal() throws Exception {
        if (paused) {
            resume();
        }
        start().awaitReady();
    }

    long pid() {
        return current().process.pid();
    }

    String url() {
        boolean tls = module.equals("node-agent") || module.equals("deployment-service");
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
    }

    synchronized ServiceProcess current() {
        return process;
    }

    void stop() throws Exception {
        if (paused) {
            resume();
        }
        if (process != null) {
            process.close();
        }
    }
}
