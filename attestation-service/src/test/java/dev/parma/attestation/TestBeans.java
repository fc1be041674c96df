package dev.parma.attestation;

import dev.parma.snp.abi.Product;
import dev.parma.snp.kds.CachingKdsClient;
import dev.parma.snp.kds.KdsClient;
import dev.parma.snp.testkit.FakeKds;
import dev.parma.snp.testkit.TestAuthorities;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Test replacements: a pinned clock (inside every test certificate's validity) and a fake KDS. */
public class TestBeans {
    /** Inside the validity of the real anchor VCEKs (to 2028/2029) and the simulator's leaves (2024..2031). */
    public static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @Produces
    @Singleton
    Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Produces
    @Singleton
    @Typed(FakeKds.class)
    FakeKds fakeKds() {
        return new FakeKds(TestAuthorities.shared(Product.MILAN));
    }

    @Produces
    @Singleton
    KdsClient kds(FakeKds fake) {
        // no spacing and no remembered failures: tests register VCEKs as they go
        return CachingKdsClient.wrap(fake, CachingKdsClient.Settings.defaults().withVcekInterval(Duration.ZERO)
                .withFailureTtl(Duration.ZERO));
    }
}
