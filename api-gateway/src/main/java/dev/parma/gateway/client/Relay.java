package dev.parma.gateway.client;

import dev.parma.gateway.Metrics;
import dev.parma.gateway.arm.ArmError;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A backend's answer passed on to the caller with its status, JSON body and ARM headers. If the backend cannot be
 * reached the caller gets a retryable 503 CloudError, not a stack trace; both that and a 5xx answer are counted.
 *
 * <p>
 * An idempotent call (GET, PUT of a whole resource, DELETE) that could not connect or got 502, 503 or 504 — a backend
 * restarting or failing over — is made once more after a short pause, provided the first attempt failed within
 * {@link #RETRY_WITHIN}: with the client's read timeout (30 s) the caller still has its answer well inside the minute
 * ARM clients wait. Anything else (POST, PATCH) is never repeated: the caller decides. Every 503 the caller sees
 * says when to retry: the backend's Retry-After if it gave one, ours otherwise.
 */
final class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    private static final List<String> RELAYED_HEADERS = List.of("Azure-AsyncOperation", "Location", "Retry-After");
    private static final Set<Integer> TRANSIENT = Set.of(502, 503, 504);
    static final Duration RETRY_WITHIN = Duration.ofSeconds(10);
    static final Duration PAUSE = Duration.ofMillis(250);

    /** Whether a call may be made twice with the same effect as once. */
    enum Idempotence {
        IDEMPOTENT, ONCE_ONLY
    }

    private Relay() {
    }

    static Response relay(Metrics metrics, String upstream, Idempotence idempotence, Supplier<Response> call) {
        long started = System.nanoTime();
        boolean mayRetry = idempotence == Idempotence.IDEMPOTENT;
        Response answer;
        try {
            answer = call.get();
        } catch (ProcessingException e) {
            if (!mayRetry || late(started)) {
                throw unreachable(metrics, upstream, e);
            }
            metrics.upstreamError(upstream, "unreachable");
            answer = null;
        }
        if (answer != null && (!mayRetry || !TRANSIENT.contains(answer.getStatus()) || late(started))) {
            return pass(metrics, upstream, answer);
        }
        if (answer != null) {
            metrics.upstreamError(upstream, "server_error");
            answer.close();
        }
        pause();
        try {
            return pass(metrics, upstream, call.get());
        } catch (ProcessingException e) {
            throw unreachable(metrics, upstream, e);
        }
    }

    private static Response pass(Metrics metrics, String upstream, Response backend) {
        try (Response answer = backend) {
            if (answer.getStatus() >= 500) {
                metrics.upstreamError(upstream, "server_error");
            }
            var out = Response.status(answer.getStatus());
            if (answer.hasEntity()) {
                String body = answer.readEntity(String.class);
                out.entity(answer.getStatus() >= 400 ? RelayedErrors.clean(answer.getStatus(), body) : body)
                        .type(MediaType.APPLICATION_JSON);
            } else if (answer.getStatus() == 503) {
                out.entity(RelayedErrors.clean(503, null)).type(MediaType.APPLICATION_JSON);
            }
            for (String h : RELAYED_HEADERS) {
                String v = answer.getHeaderString(h);
                if (v != null) {
                    out.header(h, v);
                }
            }
            if (answer.getStatus() == 503 && answer.getHeaderString("Retry-After") == null) {
                out.header("Retry-After", ArmError.RETRY_AFTER_SECONDS);
            }
            return out.build();
        } catch (ProcessingException e) {
            // the connection broke while the answer was read
            throw unreachable(metrics, upstream, e);
        }
    }

    private static boolean late(long startedNanos) {
        return System.nanoTime() - startedNanos > RETRY_WITHIN.toNanos();
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts and logs an unreachable backend; the 503 the caller gets. */
    static ArmError unreachable(Metrics metrics, String upstream, ProcessingException e) {
        metrics.upstreamError(upstream, "unreachable");
        LOG.warnf("%s service unreachable: %s", upstream, e.getMessage());
        return ArmError.unavailable();
    }
}
