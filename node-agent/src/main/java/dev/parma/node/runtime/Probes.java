package dev.parma.node.runtime;

import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Probe;
import dev.parma.node.config.NodeConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jboss.logging.Logger;

/**
 * The liveness and readiness probes of every running container on this node. One clock thread says when a probe is
 * due; pooled threads run them (an exec or a GET blocks until it answers or its timeout). A probe that has not
 * answered is not started again, so a hung one costs one thread, not one per period. Each failure is an {@code Unhealthy}
 * event; {@code failureThreshold} liveness failures in a row kill the run, and the group's restart policy decides
 * what follows. A confidential group's guest judges every exec probe (exec_in_container): a denial is a failure, and
 * is reported as {@code PolicyDenied} once per run.
 */
@ApplicationScoped
public class Probes {

    private static final Logger LOG = Logger.getLogger(Probes.class);
    /** How much of a probe's output its Unhealthy event quotes. */
    private static final int OUTPUT_CAP = 512;

    /** What a group lets the probes do with one run of one of its containers. */
    interface Run {

        /** Whether the run still runs and its group is not stopping; probing it ends for good once it is not. */
        boolean current();

        /**
         * Starts {@code command} in the container (closing the stream ends it). A confidential group's guest judges
         * it first and, since its exec runs to the end, ends it itself at {@code timeout}.
         */
        ExecStream exec(List<String> command, Duration timeout) throws IOException, ExecRefused;

        /** Reports events on the group. */
        void report(List<InstanceEvent> events);

        /** Stops the run (SIGTERM, SIGKILL after {@code grace}); its end is handled like any other exit. */
        void kill(Duration grace);
    }

    private enum Kind {
        LIVENESS("Liveness"), READINESS("Readiness");

        final String title;

        Kind(String title) {
            this.title = title;
        }

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One probe attempt's outcome; the metric's {@code result} tag is the outcome's name. */
    private record Result(String outcome, String message) {
        static final Result SUCCESS = new Result("success", "");

        static Result failure(String message) {
            return new Result("failure", message);
        }
    }

    private final Overhead overhead;
    private final Duration killGrace;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "probe-clock"));
    /** Threads only for probes in flight (at most one per probe) and kills: none of them waits behind a hung one. */
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> daemon(r, "probe"));

    Probes(Overhead overhead, NodeConfig config) {
        this.overhead = overhead;
        this.killGrace = config.stopGrace();
    }

    private static Thread daemon(Runnable r, String name) {
        var t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts probing a container's new run, if it has probes; counters start at zero with every run. */
    void watch(String groupId, ContainerWorkload spec, Run run) {
        if (spec.liveness() != null) {
            new Watch(groupId, spec.name(), Kind.LIVENESS, spec.liveness(), run).schedule();
        }
        if (spec.readiness() != null) {
            new Watch(groupId, spec.name(), Kind.READINESS, spec.readiness(), run).schedule();
        }
    }

    @PreDestroy
    void shutdown() {
        clock.shutdownNow();
        pool.shutdownNow();
    }

    /** One probe of one run. */
    private final class Watch {
        final String groupId;
        final String container;
        final Kind kind;
        final Probe probe;
        final Run run;
        ScheduledFuture<?> tick;
        boolean inFlight;
        boolean done;
        int failures;
        boolean denialReported;

        Watch(String groupId, String container, Kind kind, Probe probe, Run run) {
            this.groupId = groupId;
            this.container = container;
            this.kind = kind;
            this.probe = probe;
            this.run = run;
        }

        synchronized void schedule() {
            tick = clock.scheduleAtFixedRate(this::due, probe.initialDelaySeconds(), probe.periodSeconds(),
                    TimeUnit.SECONDS);
        }

        private void due() {
            synchronized (this) {
                if (done || inFlight) {
                    return;
                }
                if (!run.current()) {
                    end();
                    return;
                }
                inFlight = true;
            }
            pool.execute(this::attempt);
        }

        /** The first of the answer and the timeout decides; a late answer is dropped. */
        private void attempt() {
            var decided = new AtomicBoolean();
            var stream = new AtomicReference<ExecStream>();
            var timeout = clock.schedule(() -> {
                if (decided.compareAndSet(false, true)) {
                    close(stream.get());
                    record(Result.failure("timed out after " + probe.timeoutSeconds() + "s"));
                }
            }, probe.timeoutSeconds(), TimeUnit.SECONDS);
            Result r;
            try {
                Probe.Action action = probe.action();
                r = action instanceof Probe.Exec e ? exec(e, stream, decided) : get((Probe.HttpGet) action);
            } catch (RuntimeException e) {
                r = Result.failure(e.getMessage());
            }
            timeout.cancel(false);
            if (decided.compareAndSet(false, true)) {
                record(r);
            }
            synchronized (this) {
                inFlight = false;
            }
        }

        private Result exec(Probe.Exec e, AtomicReference<ExecStream> stream, AtomicBoolean decided) {
            try (ExecStream s = run.exec(e.command(), Duration.ofSeconds(probe.timeoutSeconds()))) {
                stream.set(s);
                if (decided.get()) {
                    return Result.failure("timed out");
                }
                var out = new StringBuilder();
                for (String chunk = s.read(); chunk != null; chunk = s.read()) {
                    if (out.length() < OUTPUT_CAP) {
                        out.append(chunk, 0, Math.min(chunk.length(), OUTPUT_CAP - out.length()));
                    }
                }
                int code = s.exitCode();
                return code == 0
                        ? Result.SUCCESS
                        : Result.failure(out.isEmpty() ? "command exited with code " + code : out.toString().strip());
            } catch (ExecRefused refused) {
                return refused.policy()
                        ? new Result("denied", refused.getMessage())
                        : Result.failure(refused.getMessage());
            } catch (IOException | IllegalStateException ex) {
                return Result.failure(ex.getMessage());
            }
        }

        /** To the node's address: containers share its network namespace. */
        private Result get(Probe.HttpGet g) {
            String url = g.scheme() + "://127.0.0.1:" + g.port() + g.path();
            HttpURLConnection c = null;
            try {
                c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                if (c instanceof HttpsURLConnection https) {
                    // like the kubelet's HTTPS probes: the container's certificate is not checked
                    https.setSSLSocketFactory(TrustAll.FACTORY);
                    https.setHostnameVerifier((host, session) -> true);
                }
                int millis = probe.timeoutSeconds() * 1000;
                c.setConnectTimeout(millis);
                c.setReadTimeout(millis);
                c.setInstanceFollowRedirects(false);
                c.setRequestProperty("User-Agent", "parma-probe/1.0");
                for (var h : g.headers()) {
                    c.setRequestProperty(h.name(), h.value());
                }
                int status = c.getResponseCode();
                return status >= 200 && status < 400
                        ? Result.SUCCESS
                        : Result.failure("HTTP probe failed with statuscode: " + status);
            } catch (IOException | IllegalArgumentException e) {
                return Result.failure("Get \"" + url + "\": " + e.getMessage());
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
        }

        private void record(Result r) {
            overhead.probeResult(kind.tag(), r.outcome());
            var events = new ArrayList<InstanceEvent>();
            boolean kill = false;
            synchronized (this) {
                if (done || !run.current()) {
                    return;
                }
                if (r == Result.SUCCESS) {
                    failures = 0;
                    return;
                }
                failures++;
                Instant now = Instant.now();
                if (r.outcome().equals("denied") && !denialReported) {
                    denialReported = true;
                    overhead.policyDenied("exec_in_container");
                    events.add(InstanceEvent.warning(container, "PolicyDenied", r.message(), now));
                }
                events.add(InstanceEvent.warning(container, "Unhealthy", kind.title + " probe failed: " + r.message(),
                        now));
                if (kind == Kind.LIVENESS && failures >= probe.failureThreshold()) {
                    kill = true;
                    end();
                    events.add(InstanceEvent.normal(container, "Killing", "Stopping container " + container
                            + ": it failed its liveness probe " + failures + " times in a row", now));
                }
            }
            run.report(events);
            if (kill) {
                LOG.infof("group %s: container %s failed its liveness probe: stopping it", groupId, container);
                // not on the clock thread (a timeout records from there): the stop waits out the grace period
                pool.execute(() -> run.kill(killGrace));
            }
        }

        /** Caller holds the monitor. */
        private void end() {
            done = true;
            if (tick != null) {
                tick.cancel(false);
            }
        }
    }

    private static void close(ExecStream s) {
        if (s != null) {
            s.close();
        }
    }

    /** A probe exec that already ran (the guest answers with the whole result). */
    static ExecStream finished(int exitCode, String output) {
        return new ExecStream() {
            private boolean read;

            @Override
            public String read() {
                if (read || output.isEmpty()) {
                    return null;
                }
                read = true;
                return output;
            }

            @Override
            public void write(String stdin) {
                throw new UnsupportedOperationException("the exec has ended");
            }

            @Override
            public int exitCode() {
                return exitCode;
            }

            @Override
            public void close() {
                read = true;
            }
        };
    }

    /** The SSL socket factory of HTTPS probes, which accept any certificate. */
    private static final class TrustAll {
        static final SSLSocketFactory FACTORY = factory();

        private static SSLSocketFactory factory() {
            try {
                var ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[]{new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }}, null);
                return ctx.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS", e);
            }
        }
    }
}
