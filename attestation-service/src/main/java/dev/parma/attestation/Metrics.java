package dev.parma.attestation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Every meter of the attestation service, in one place:
 * <ul>
 * <li>{@code parma_attestation_requests_total{outcome=issued|rejected, reason}}: attestations by outcome and, for
 * refusals, the CloudError code;
 * <li>{@code parma_attestation_duration_seconds}: evidence verified and token issued (or refused), as a histogram;
 * <li>{@code parma_attestation_key_releases_total{outcome=released|denied}}: secure key release decisions.
 * </ul>
 * The hot meters are looked up once: building a meter id per token is measurable at thousands a second.
 */
@ApplicationScoped
public class Metrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Counter issued;
    private final Counter released;
    private final Counter denied;

    Metrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("parma.attestation.duration")
                .description("Time to verify evidence and issue a token").publishPercentileHistogram()
                .register(registry);
        this.issued = requests("issued", "none");
        this.released = releases("released");
        this.denied = releases("denied");
    }

    /** A token was issued, {@code nanos} after the request was read. */
    public void issued(long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
        issued.increment();
    }

    /** An attestation was refused with this CloudError code. */
    public void rejected(String code, long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
        requests("rejected", code).increment();
    }

    public void keyRelease(boolean granted) {
        (granted ? released : denied).increment();
    }

    private Counter requests(String outcome, String reason) {
        return Counter.builder("parma.attestation.requests").description("Attestations by outcome and failure reason")
                .tags("outcome", outcome, "reason", reason).register(registry);
    }

    private Counter releases(String outcome) {
        return Counter.builder("parma.attestation.key.releases").description("Secure key release decisions")
                .tag("outcome", outcome).register(registry);
    }
}
