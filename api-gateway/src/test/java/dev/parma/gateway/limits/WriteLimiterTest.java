package dev.parma.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.gateway.TestDatabases;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both sliding windows, per subscription and region, on a clock the test moves, counted in the real database; two
 * limiters on one database (two gateway instances) share one budget.
 */
class WriteLimiterTest {

    static final String DATABASE = "parma_gateway_limits_test";
    final AtomicLong now = new AtomicLong(1_000L);
    DataSource db;

    @BeforeEach
    void freshDatabase() {
        db = TestDatabases.migrated(DATABASE);
    }

    /** A limiter as a gateway instance has one: its own connections to the shared database. */
    WriteLimiter limiter() {
        var l = new WriteLimiter();
        l.shortMax = 100;
        l.shortWindow = Duration.ofMinutes(5);
        l.longMax = 300;
        l.longWindow = Duration.ofHours(1);
        l.db = TestDatabases.connect(DATABASE);
        l.clock = now::get;
        return l;
    }

    void advance(Duration d) {
        now.addAndGet(d.toMillis());
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

    @Test
    void twoGatewayInstancesDrawOnOneBudget() {
        var first = limiter();
        var second = limiter();
        for (int i = 0; i < 60; i++) {
            first.acquire("s", "eastus", "create");
        }
        for (int i = 0; i < 40; i++) {
            second.acquire("S", "East US", "create");
        }
        for (var l : new WriteLimiter[]{first, second}) {
            assertThatThrownBy(() -> l.acquire("s", "eastus", "create")).isInstanceOfSatisfying(
                    WriteLimiter.Limited.class, e -> {
                        assertThat(e.toResponse().getStatus()).isEqualTo(429);
                        assertThat(e.toResponse().getHeaderString("Retry-After")).isEqualTo("300");
                    });
        }
    }

    @Test
    void concurrentWritersThroughTwoInstancesNeverExceedTheLimit() throws Exception {
        var limiters = new WriteLimiter[]{limiter(), limiter()};
        for (var l : limiters) {
            l.shortMax = 25;
        }
        var pool = Executors.newFixedThreadPool(8);
        try {
            var attempts = new ArrayList<Callable<Boolean>>();
            for (int i = 0; i < 80; i++) {
                var l = limiters[i % 2];
                attempts.add(() -> {
                    try {
                        l.acquire("s", "eastus", "create");
                        return true;
                    } catch (WriteLimiter.Limited refused) {
                        return false;
                    }
                });
            }
            int admitted = 0;
            for (var f : pool.invokeAll(attempts)) {
                admitted += f.get() ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(25);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void countsOlderThanTheLongWindowArePurged() throws SQLException {
        var l = limiter();
        l.acquire("s", "eastus", "create");
        advance(Duration.ofMinutes(30));
        l.acquire("s", "eastus", "create");
        advance(Duration.ofMinutes(31)); // the first count is now 61 minutes old
        l.purge();
        try (var c = db.getConnection();
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM write_counts")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
