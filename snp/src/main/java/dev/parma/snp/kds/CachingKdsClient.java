package dev.parma.snp.kds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Caches KDS responses by URL and keeps VCEK requests at least {@link #AMD_VCEK_INTERVAL} apart (AMD allows about one
 * VCEK request per 10 s per IP), without ever making one caller wait for another's key:
 * <ul>
 * <li><b>single flight per URL</b>: concurrent callers of one URL share one fetch; callers of other URLs are not
 * held up by it (there is no global lock, nobody sleeps);
 * <li><b>a timeout</b>: a caller waits at most {@link Settings#timeout()}; a VCEK whose rate-limit slot lies beyond
 * that is refused at once instead of queued;
 * <li><b>negative caching</b>: a failed fetch is remembered for {@link Settings#failureTtl()}, so a flood of requests
 * for a VCEK that AMD does not serve costs one fetch, not one per request;
 * <li><b>bounds</b>: at most {@link Settings#maxFlights()} distinct fetches in flight and
 * {@link Settings#maxWaiters()} callers waiting; beyond that callers fail fast. Both caches are bounded too.
 * </ul>
 * VCEKs and cert chains never change for a URL, so they are kept until evicted; CRLs are kept for
 * {@link Settings#crlTtl()} so revocations are seen. Time comes from the clock, timers from the {@link Scheduler}
 * and fetches run on the executor: all injectable, so tests need neither threads nor sleeping.
 */
public final class CachingKdsClient implements KdsClient {
    public static final Duration AMD_VCEK_INTERVAL = Duration.ofSeconds(10);

    /** Runs a task after a delay; the returned action cancels it. */
    @FunctionalInterface
    public interface Scheduler {
        Runnable schedule(Duration delay, Runnable task);
    }

    /**
     * @param vcekInterval least time between two VCEK fetches
     * @param crlTtl how long a CRL is served from the cache
     * @param failureTtl how long a failed fetch is answered from the cache (zero: failures are not cached)
     * @param timeout longest a caller waits for a fetch (its own or one in flight)
     * @param maxFlights distinct fetches in flight at once
     * @param maxWaiters callers waiting at once, over all URLs
     * @param maxEntries cached responses (and, separately, cached failures) kept
     */
    public record Settings(Duration vcekInterval, Duration crlTtl, Duration failureTtl, Duration timeout,
            int maxFlights, int maxWaiters, int maxEntries) {

        public Settings {
            if (vcekInterval.isNegative() || crlTtl.isNegative() || failureTtl.isNegative() || timeout
                    .compareTo(Duration.ZERO) <= 0) {
                throw new IllegalArgumentException("KDS cache durations must not be negative, the timeout positive");
            }
            if (maxFlights < 1 || maxWaiters < 1 || maxEntries < 1) {
                throw new IllegalArgumentException("KDS cache bounds must be at least 1");
            }
        }

        /** AMD's VCEK interval, CRLs for an hour, failures for a minute, 15 s timeout, 8 flights, 64 waiters. */
        public static Settings defaults() {
            return new Settings(AMD_VCEK_INTERVAL, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofSeconds(15),
                    8, 64, 10_000);
        }

        public Settings withVcekInterval(Duration d) {
            return new Settings(d, crlTtl, failureTtl, timeout, maxFlights, maxWaiters, maxEntries);
        }

        public Settings withFailureTtl(Duration d) {
            return new Settings(vcekInterval, crlTtl, d, timeout, maxFlights, maxWaiters, maxEntries);
        }
    }

    private record Entry(byte[] body, Instant expires) {
    }

    private record Failure(KdsException cause, Instant expires) {
    }

    /** One fetch that every concurrent caller of its URL waits for. */
    private record Flight(CompletableFuture<byte[]> result) {
    }

    private final KdsClient delegate;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Executor fetches;
    private final Settings settings;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final AtomicInteger flightCount = new AtomicInteger();
    private final AtomicInteger waiters = new AtomicInteger();
    /** The earliest instant the next VCEK fetch may start (reserved by compare-and-set, never waited on). */
    private final AtomicReference<Instant> nextVcekSlot = new AtomicReference<>(Instant.MIN);

    public CachingKdsClient(KdsClient delegate, Clock clock, Scheduler scheduler, Executor fetches,
            Settings settings) {
        this.delegate = delegate;
        this.clock = clock;
        this.scheduler = scheduler;
        this.fetches = fetches;
        this.settings = settings;
    }

    /** {@link Settings#defaults()}, the system clock, one daemon timer thread and daemon fetch threads. */
    public static CachingKdsClient wrap(KdsClient delegate) {
        return wrap(delegate, Settings.defaults());
    }

    public static CachingKdsClient wrap(KdsClient delegate, Settings settings) {
        var timer = new ScheduledThreadPoolExecutor(1, daemon("kds-timer"));
        timer.setRemoveOnCancelPolicy(true);
        // flights are bounded by settings.maxFlights(), so the pool is too
        ExecutorService pool = Executors.newCachedThreadPool(daemon("kds-fetch"));
        Scheduler scheduler = (delay, task) -> {
            var f = timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
        return new CachingKdsClient(delegate, Clock.systemUTC(), scheduler, pool, settings);
    }

    @Override
    public byte[] fetch(KdsRequest request) throws KdsUnavailableException {
        try {
            return fetchAsync(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KdsUnavailableException("interrupted while waiting for " + request.url(), e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /**
     * The body for {@code request}, from the cache or a fetch; never blocks. The future fails with a
     * {@link KdsException} (a {@link KdsUnavailableException} for timeouts, bounds and the rate limit).
     */
    public CompletableFuture<byte[]> fetchAsync(KdsRequest request) {
        String url = request.url();
        Instant now = clock.instant();
        Entry hit = cache.get(url);
        if (hit != null && now.isBefore(hit.expires())) {
            return CompletableFuture.completedFuture(hit.body().clone());
        }
        Failure failed = failures.get(url);
        if (failed != null && now.isBefore(failed.expires())) {
            return CompletableFuture.failedFuture(failed.cause());
        }
        if (waiters.incrementAndGet() > settings.maxWaiters()) {
            waiters.decrementAndGet();
            return CompletableFuture.failedFuture(new KdsUnavailableException("too many requests are waiting for"
                    + " the KDS; retry later"));
        }
        Flight flight;
        try {
            flight = join(request, url, now);
        } catch (KdsUnavailableException e) {
            waiters.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
        var mine = new CompletableFuture<byte[]>();
        Runnable cancelTimer = scheduler.schedule(settings.timeout(), () -> mine.completeExceptionally(
                new KdsUnavailableException("the KDS did not answer within " + settings.timeout().toSeconds()
                        + " s for " + url)));
        flight.result().whenComplete((body, error) -> {
            if (error == null) {
                mine.complete(body.clone());
            } else {
                mine.completeExceptionally(error);
            }
        });
        mine.whenComplete((body, error) -> {
            cancelTimer.run();
            waiters.decrementAndGet();
        });
        return mine;
    }

    /** The flight for {@code url}: the one in progress, or a new one started here. */
    private Flight join(KdsRequest request, String url, Instant now) {
        Duration[] delay = {null};
        Flight flight = flights.computeIfAbsent(url, k -> {
            if (flightCount.incrementAndGet() > settings.maxFlights()) {
                flightCount.decrementAndGet();
                throw new KdsUnavailableException("too many KDS fetches are in flight; retry later");
            }
            try {
                delay[0] = request instanceof KdsRequest.Vcek ? reserveVcekSlot(now) : Duration.ZERO;
            } catch (KdsUnavailableException e) {
                flightCount.decrementAndGet();
                throw e;
            }
            return new Flight(new CompletableFuture<>());
        });
        if (delay[0] != null) { // started here: scheduled outside computeIfAbsent, which must not see it finish
            scheduler.schedule(delay[0], () -> fetches.execute(() -> run(request, url, flight)));
        }
        return flight;
    }

    /** Reserves the next VCEK slot; refuses if it is further away than a caller would wait. */
    private Duration reserveVcekSlot(Instant now) {
        while (true) {
            Instant next = nextVcekSlot.get();
            Instant slot = next.isAfter(now) ? next : now;
            Duration delay = Duration.between(now, slot);
            if (delay.compareTo(settings.timeout()) >= 0) {
                throw new KdsUnavailableException("AMD's KDS allows one VCEK request every "
                        + settings.vcekInterval().toSeconds() + " s; the next is possible in " + delay.toSeconds()
                        + " s; retry later");
            }
            if (nextVcekSlot.compareAndSet(next, slot.plus(settings.vcekInterval()))) {
                return delay;
            }
        }
    }

    private void run(KdsRequest request, String url, Flight flight) {
        try {
            byte[] body = delegate.fetch(request);
            Instant expires = request instanceof KdsRequest.Crl
                    ? clock.instant().plus(settings.crlTtl())
                    : Instant.MAX;
            bounded(cache).put(url, new Entry(body.clone(), expires));
            failures.remove(url);
            finish(url, flight);
            flight.result().complete(body);
        } catch (RuntimeException e) {
            KdsException cause = e instanceof KdsException k
                    ? k
                    : new KdsUnavailableException("the KDS request for " + url + " failed", e);
            if (settings.failureTtl().compareTo(Duration.ZERO) > 0) {
                bounded(failures).put(url, new Failure(cause, clock.instant().plus(settings.failureTtl())));
            }
            finish(url, flight);
            flight.result().completeExceptionally(cause);
        }
    }

    private void finish(String url, Flight flight) {
        if (flights.remove(url, flight)) {
            flightCount.decrementAndGet();
        }
    }

    /** The map, with expired entries dropped first and everything dropped if it is still full (crude, bounded). */
    private <V> Map<String, V> bounded(Map<String, V> map) {
        if (map.size() >= settings.maxEntries()) {
            Instant now = clock.instant();
            map.values().removeIf(v -> v instanceof Entry e && !now.isBefore(e.expires())
                    || v instanceof Failure f && !now.isBefore(f.expires()));
            if (map.size() >= settings.maxEntries()) {
                map.clear();
            }
        }
        return map;
    }

    private static KdsException rethrown(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof KdsUnavailableException u) {
            return new KdsUnavailableException(u.getMessage(), u);
        }
        if (c instanceof KdsException k) {
            return new KdsException(k.getMessage(), k);
        }
        return new KdsUnavailableException("the KDS request failed", c);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Drops every cached response and failure. */
    public void clear() {
        cache.clear();
        failures.clear();
    }
}
