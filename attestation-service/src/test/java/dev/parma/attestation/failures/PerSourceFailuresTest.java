package dev.parma.attestation.failures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.attestation.AttestationTestResources;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Issue 13 item 6: one anonymous caller flooding refused attestations cannot flush everyone else's from the list. */
@QuarkusTest
@AttestationTestResources
class PerSourceFailuresTest {

    @Inject
    RecentFailures failures;

    @Test
    void aFloodFromOneSourceKeepsOnlyItsShare() {
        failures.record(400, "InvalidSnpReport", "victim-tenant", "10.0.0.5");
        failures.flush();
        // more than the whole list, from every loopback address the flooder can bind, in sweeps
        for (int sweep = 0; sweep < 30; sweep++) {
            for (int i = 0; i < 60; i++) {
                failures.record(400, "InvalidRequestContent", null, "127.0.0." + (1 + (sweep * 60 + i) % 250));
            }
            failures.flush();
        }
        var recent = failures.recent(RecentFailures.KEEP);
        assertThat(recent).anyMatch(f -> "victim-tenant".equals(f.tenant()) && "10.0.0.5".equals(f.caller()));
        assertThat(recent.stream().filter(f -> f.caller() != null && f.caller().startsWith("127.")).count())
                .isEqualTo(RecentFailures.PER_SOURCE);
    }
}
