package dev.parma.attestation.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void burstThenSustainedRatePerCaller() {
        var clock = new StepClock();
        var limiter = new RateLimiter(10, 5, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("a")).isTrue();
        }
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.tryAcquire("b")).as("another caller has its own bucket").isTrue();
        clock.now = clock.now.plus(Duration.ofMillis(100));
        assertThat(limiter.tryAcquire("a")).as("one token after 100 ms at 10/s").isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        clock.now = clock.now.plus(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("a")).isTrue();
        }
        assertThat(limiter.tryAcquire("a")).as("never more than the burst").isFalse();
    }
}
