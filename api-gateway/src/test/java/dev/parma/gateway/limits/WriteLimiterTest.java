package dev.parma.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Both sliding windows, per subscription and region, on a clock the test moves. */
class WriteLimiterTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    WriteLimiter limiter() {
        var l = new WriteLimiter();
        l.shortMax = 100;
        l.shortWindow = Duration.ofMinutes(5);
        l.longMax = 300;
        l.longWindow = Duration.ofHours(1);
        l.clock = now::get;
        return l;
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void theHundredAndFirstCreateInFiveMinutesWaitsForTheOldestToLeave() {
        var l = limiter();
        for (int i = 0; i < 100; i++) {
            l.acquire("s", "westeurope", "create");
            advance(Duration.ofSeconds(1));
        }
        // the first request was 100 s ago: it leaves the 5-minute window in 200 s
        assertThatThrownBy(() -> l.acquire("s", "West Europe", "create")).isInstanceOfSatisfying(
                WriteLimiter.Limited.class,
                e -> {
                    assertThat(e.toResponse().getStatus()).isEqualTo(429);
                    assertThat(e.toResponse().getHeaderString("Retry-After")).isEqualTo("200");
                    assertThat(e.getMessage()).contains("100 per 5 minutes");
                });
        // other regions and other subscriptions have their own budget
        l.acquire("s", "northeurope", "create");
        l.acquire("other", "westeurope", "create");
        advance(Duration.ofSeconds(200));
        l.acquire("s", "westeurope", "create");
    }

    @Test
    void threeHundredPerHourHoldsEvenWhenEveryFiveMinutesIsUnderItsLimit() {
        var l = limiter();
        for (int i = 0; i < 300; i++) {
            l.acquire("s", "westeurope", "delete");
            advance(Duration.ofSeconds(4)); // 75 per 5 minutes
        }
        // 300 requests over 1200 s; the first leaves the hour in 3600 - 1200 = 2400 s
        assertThatThrownBy(() -> l.acquire("s", "westeurope", "delete")).isInstanceOfSatisfying(
                WriteLimiter.Limited.class,
                e -> {
                    assertThat(e.toResponse().getHeaderString("Retry-After")).isEqualTo("2400");
                    assertThat(e.getMessage()).contains("300 per hour");
                });
        advance(Duration.ofSeconds(2400));
        l.acquire("s", "westeurope", "delete");
    }
}
