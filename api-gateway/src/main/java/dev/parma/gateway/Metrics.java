package dev.parma.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every metric of the api-gateway, in one place. Prometheus names are {@code parma_gateway_<subject>_<unit|total>}:
 * requests by route template, method and status class (a histogram; its {@code _count} is the request count), auth
 * failures by reason, rate-limit refusals by window, and errors of the services behind the gateway.
 */
@Startup // the counters exist (at 0) from the first scrape on, so rate() and dashboards see them
@ApplicationScoped
public class Metrics {

    /** Why a request was not authenticated or not authorized. */
    public enum AuthFailure {
        MISSING_TOKEN, NOT_BEARER, INVALID_TOKEN, EXPIRED_TOKEN, FORBIDDEN, CROSS_TENANT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    Metrics(MeterRegistry registry) {
        this.registry = registry;
        for (AuthFailure reason : AuthFailure.values()) {
            authCounter(reason);
        }
        for (String window : new String[]{"short", "long"}) {
            limitCounter(window);
        }
        for (String upstream : new String[]{"deployment", "attestation"}) {
            upstreamCounter(upstream, "unreachable");
            upstreamCounter(upstream, "server_error");
        }
    }

    /** One answered request: its route template (e.g. {@code /subscriptions/{sub}/...}), method and status. */
    public void request(String route, String method, int status, long nanos) {
        Timer.builder("parma.gateway.request.duration").description("Requests by route template, method and"
                + " status class").tags("route", route, "method", method, "status", (status / 100) + "xx")
                .serviceLevelObjectives(BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void authFailure(AuthFailure reason) {
        authCounter(reason).increment();
    }

    /** A create or delete refused with 429; {@code window} is {@code short} or {@code long}. */
    public void rateLimited(String window) {
        limitCounter(window).increment();
    }

    /** A backend that could not be reached ({@code unreachable}) or answered 5xx ({@code server_error}). */
    public void upstreamError(String upstream, String kind) {
        upstreamCounter(upstream, kind).increment();
    }

    private Counter authCounter(AuthFailure reason) {
        return Counter.builder("parma.gateway.auth.failures").description("Requests refused for authentication"
                + " (401) or authorization (403, cross-tenant 404) by reason").tag("reason", reason.tag())
                .register(registry);
    }

    private Counter limitCounter(String window) {
        return Counter.builder("parma.gateway.rate.limited").description("Creates and deletes refused with 429 by"
                + " the window that was full").tag("window", window).register(registry);
    }

    private Counter upstreamCounter(String upstream, String kind) {
        return Counter.builder("parma.gateway.upstream.errors").description("Failed calls to the services behind"
                + " the gateway").tags("upstream", upstream, "kind", kind).register(registry);
    }
}
