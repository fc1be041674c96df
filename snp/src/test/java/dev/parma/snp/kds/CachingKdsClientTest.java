package dev.parma.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The caching client on a hand-driven clock, timer and fetch queue: every interleaving is chosen by the test, nothing
 * sleeps and no thread is started.
 */
class CachingKdsClientTest {

    /** A clock, its timers and a fetch queue, all moved by the test. */
    static final class Time extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        private record Timer(Instant due, long seq, Runnable task, boolean[] cancelled) {
        }
        private final List<Timer> timers = new ArrayList<>();
        private long seq;
        final Queue<Runnable> fetches = new ArrayDeque<>();

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        Runnable schedule(Duration delay, Runnable task) {
            boolean[] cancelled = {false};
            timers.add(new Timer(now.plus(delay), seq++, task, cancelled));
            return () -> cancelled[0] = true;
        }

        /** Moves the clock, running every timer that falls due on the way, in order. */
        void advance(Duration d) {
            Instant end = now.plus(d);
            while (true) {
                var due = timers.stream().filter(t -> !t.due().isAfter(end)).min(Comparator.comparing(Timer::due)
                        .thenComparingLong(Timer::seq));
                if (due.isEmpty()) {
                    break;
                }
                timers.remove(due.get());
                now = due.get().due().isAfter(now) ? due.get().due() : now;
                if (!due.get().cancelled()[0]) {
                    due.get().task().run();
                }
            }
            now = end;
        }

        /** Runs the fetches handed to the executor so far. */
        int runFetches() {
            int n = 0;
            for (Runnable r; (r = fetches.poll()) != null; n++) {
                r.run();
            }
            return n;
        }

        long pendingTimers() {
            return timers.stream().filter(t -> !t.cancelled()[0]).count();
        }
    }

    /** The origin: counts fetches per URL and answers or fails as told. */
    static final class Origin implements KdsClient {
        final Map<String, AtomicInteger> counts = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean failing;

        @Override
        public byte[] fetch(KdsRequest r) {
            counts.computeIfAbsent(r.url(), k -> new AtomicInteger()).incrementAndGet();
            if (failing) {
                throw new KdsUnavailableException("KDS answered 404 for " + r.url());
            }
            return r.url().getBytes();
        }

        int count(KdsRequest r) {
            return counts.getOrDefault(r.url(), new AtomicInteger()).get();
        }

        int total() {
            return counts.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    static KdsRequest.Vcek vcek(int ucode) {
        return new KdsRequest.Vcek(Product.MILAN, new byte[64], TcbParts.of(1, 0, 1, ucode));
    }

    static final CachingKdsClient.Settings SETTINGS = new CachingKdsClient.Settings(Duration.ofSeconds(10), Duration
            .ofMinutes(30), Duration.ofMinutes(1), Duration.ofSeconds(15), 4, 6, 100);

    final Time time = new Time();
    final Origin origin = new Origin();

    CachingKdsClient client(CachingKdsClient.Settings settings) {
        return new CachingKdsClient(origin, time, time::schedule, time.fetches::add, settings);
    }

    static Throwable failure(CompletableFuture<byte[]> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void concurrentCallersOfOneUrlShareOneFetch() throws Exception {
        var kds = client(SETTINGS);
        var callers = List.of(kds.fetchAsync(vcek(1)), kds.fetchAsync(vcek(1)), kds.fetchAsync(vcek(1)));
        time.advance(Duration.ZERO);
        assertThat(callers).allMatch(f -> !f.isDone());
        assertThat(time.runFetches()).isEqualTo(1);
        for (var f : callers) {
            assertThat(f.get()).isEqualTo(vcek(1).url().getBytes());
        }
        assertThat(kds.fetchAsync(vcek(1)).get()).as("then cached").isEqualTo(vcek(1).url().getBytes());
        assertThat(origin.count(vcek(1))).isEqualTo(1);
        assertThat(time.pendingTimers()).as("every caller's timeout is cancelled").isZero();
    }

    @Test
    void aSlowFetchForOneKeyNeverHoldsUpAnother() throws Exception {
        var kds = client(SETTINGS);
        var chain = new KdsRequest.CertChain(Product.MILAN, SigningKey.VCEK);
        var first = kds.fetchAsync(vcek(1));
        time.advance(Duration.ZERO); // vcek(1)'s fetch is handed to the executor and does not return yet
        Runnable stuck = time.fetches.poll();
        var other = kds.fetchAsync(chain); // not rate-limited: runs at once
        time.advance(Duration.ZERO);
        time.runFetches();
        assertThat(other.get()).isEqualTo(chain.url().getBytes());
        assertThat(first).isNotDone();
        stuck.run();
        assertThat(first.get()).isEqualTo(vcek(1).url().getBytes());
    }

    @Test
    void vcekFetchesAreSpacedByReservedSlotsNotBySleeping() throws Exception {
        var kds = client(SETTINGS);
        var a = kds.fetchAsync(vcek(1));
        time.advance(Duration.ZERO);
        time.runFetches();
        assertThat(a.get()).isNotNull();
        time.advance(Duration.ofSeconds(3));
        var b = kds.fetchAsync(vcek(2)); // its slot is 7 s away: scheduled, nobody waits on a lock
        time.advance(Duration.ofSeconds(6));
        assertThat(time.runFetches()).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(time.runFetches()).isEqualTo(1);
        assertThat(b.get()).isEqualTo(vcek(2).url().getBytes());
    }

    @Test
    void aSlotFurtherAwayThanTheTimeoutIsRefusedAtOnce() {
        var kds = client(SETTINGS);
        var a = kds.fetchAsync(vcek(1)); // slot now
        var b = kds.fetchAsync(vcek(2)); // slot +10 s
        var c = kds.fetchAsync(vcek(3)); // slot +20 s, beyond the 15 s timeout
        assertThat(a).isNotDone();
        assertThat(b).isNotDone();
        assertThat(failure(c)).isInstanceOf(KdsUnavailableException.class).hasMessageContaining("retry later");
    }

    @Test
    void failuresAreCachedForTheFailureTtl() {
        var kds = client(SETTINGS);
        origin.failing = true;
        var first = kds.fetchAsync(vcek(1));
        time.advance(Duration.ZERO);
        time.runFetches();
        assertThat(failure(first)).hasMessageContaining("404");
        for (int i = 0; i < 5; i++) {
            assertThat(failure(kds.fetchAsync(vcek(1)))).as("answered from the cache").hasMessageContaining("404");
        }
        assertThat(origin.count(vcek(1))).isEqualTo(1);
        assertThat(time.fetches).isEmpty();

        origin.failing = false;
        time.advance(Duration.ofSeconds(61));
        var later = kds.fetchAsync(vcek(1));
        time.advance(Duration.ZERO);
        time.runFetches();
        assertThat(later.getNow(null)).isEqualTo(vcek(1).url().getBytes());
        assertThat(origin.count(vcek(1))).isEqualTo(2);
    }

    @Test
    void aCallerWaitsNoLongerThanTheTimeoutAndTheFetchStillFillsTheCache() throws Exception {
        var kds = client(SETTINGS);
        var waiting = kds.fetchAsync(vcek(1));
        time.advance(Duration.ofSeconds(15)); // the fetch is queued but never runs in this time
        assertThat(failure(waiting)).isInstanceOf(KdsUnavailableException.class).hasMessageContaining(
                "did not answer within 15 s");
        time.runFetches();
        assertThat(kds.fetchAsync(vcek(1)).getNow(null)).isEqualTo(vcek(1).url().getBytes());
    }

    @Test
    void waitersAndFlightsAreBounded() {
        var kds = client(SETTINGS.withVcekInterval(Duration.ZERO));
        List<CompletableFuture<byte[]>> admitted = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            admitted.add(kds.fetchAsync(vcek(i))); // four flights, the maximum
        }
        assertThat(failure(kds.fetchAsync(vcek(5)))).hasMessageContaining("too many KDS fetches");
        admitted.add(kds.fetchAsync(vcek(1)));
        admitted.add(kds.fetchAsync(vcek(2))); // six waiters, the maximum
        assertThat(failure(kds.fetchAsync(vcek(3)))).hasMessageContaining("too many requests are waiting");
        assertThat(admitted).noneMatch(CompletableFuture::isDone);

        time.advance(Duration.ZERO);
        assertThat(time.runFetches()).isEqualTo(4);
        assertThat(admitted).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(kds.fetchAsync(vcek(5))).as("room again").isNotDone();
    }

    @Test
    void theBlockingCallUnwrapsTheFailure() {
        var kds = new CachingKdsClient(KdsClient.offline(), time, time::schedule, Runnable::run, SETTINGS);
        var first = kds.fetchAsync(vcek(1));
        time.advance(Duration.ZERO);
        assertThat(failure(first)).hasMessageContaining("offline KDS client");
        assertThatThrownBy(() -> kds.fetch(vcek(1))).isInstanceOf(KdsUnavailableException.class)
                .hasMessageContaining("offline KDS client");
    }

    @Test
    void crlsExpireFromTheCache() {
        var kds = client(SETTINGS);
        KdsRequest.Crl crl = new KdsRequest.Crl(Product.GENOA, SigningKey.VCEK);
        kds.fetchAsync(crl);
        time.advance(Duration.ZERO);
        time.runFetches();
        assertThat(kds.fetchAsync(crl)).isCompleted();
        time.advance(Duration.ofMinutes(31));
        kds.fetchAsync(crl);
        time.advance(Duration.ZERO);
        time.runFetches();
        assertThat(origin.count(crl)).isEqualTo(2);
    }

    @Test
    void theCachesAreBounded() {
        var kds = client(new CachingKdsClient.Settings(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofSeconds(15), 4, 6, 3));
        origin.failing = true;
        for (int i = 1; i <= 10; i++) {
            kds.fetchAsync(vcek(i));
            time.advance(Duration.ZERO);
            time.runFetches();
        }
        // only the newest failures are remembered: an old one is fetched again
        kds.fetchAsync(vcek(1));
        time.advance(Duration.ZERO);
        assertThat(time.runFetches()).isEqualTo(1);
        assertThat(origin.total()).isEqualTo(11);
    }

    @Test
    void offlineAndMapClients() throws Exception {
        assertThatThrownBy(() -> KdsClient.offline().fetch(vcek(1))).isInstanceOf(KdsUnavailableException.class)
                .hasMessageContaining("offline KDS client").hasMessageContaining("/vcek/v1/Milan/");
        KdsClient map = KdsClient.of(Map.of(vcek(1).url(), new byte[]{9}));
        assertThat(map.fetch(vcek(1))).containsExactly(9);
        assertThatThrownBy(() -> map.fetch(vcek(2))).hasMessageContaining("no stored KDS response");
    }
}
