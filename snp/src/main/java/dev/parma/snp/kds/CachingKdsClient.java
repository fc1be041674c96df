package dev.parma.snp.kds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches KDS responses by URL and spaces VCEK requests at least {@link #AMD_VCEK_INTERVAL} apart, since AMD allows
 * about one VCEK request per 10 s per IP. VCEKs and cert chains never change for a URL, so they are kept until
 * evicted; CRLs are kept for {@code crlTtl} so revocations are seen.
 */
public final class CachingKdsClient implements KdsClient {
    public static final Duration AMD_VCEK_INTERVAL = Duration.ofSeconds(10);

    /** Waits; injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private record Entry(byte[] body, Instant expires) {
    }

    private final KdsClient delegate;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration vcekInterval;
    private final Duration crlTtl;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Object vcekLock = new Object();
    private Instant lastVcekFetch = Instant.MIN;

    public CachingKdsClient(KdsClient delegate, Clock clock, Sleeper sleeper, Duration vcekInterval,
            Duration crlTtl) {
        this.delegate = delegate;
        this.clock = clock;
        this.sleeper = sleeper;
        this.vcekInterval = vcekInterval;
        this.crlTtl = crlTtl;
    }

    /** AMD's interval, a one-hour CRL cache, the system clock and real sleeping. */
    public static CachingKdsClient wrap(KdsClient delegate) {
        return new CachingKdsClient(delegate, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), AMD_VCEK_INTERVAL,
                Duration.ofHours(1));
    }

    @Override
    public byte[] fetch(KdsRequest request) throws KdsUnavailableException {
        String url = request.url();
        Entry e = cache.get(url);
        if (e != null && clock.instant().isBefore(e.expires())) {
            return e.body().clone();
        }
        byte[] body;
        if (request instanceof KdsRequest.Vcek) {
            body = fetchVcekRateLimited(request);
        } else {
            body = delegate.fetch(request);
        }
        Instant expires = request instanceof KdsRequest.Crl ? clock.instant().plus(crlTtl) : Instant.MAX;
        cache.put(url, new Entry(body.clone(), expires));
        return body;
    }

    private byte[] fetchVcekRateLimited(KdsRequest request) throws KdsUnavailableException {
        synchronized (vcekLock) {
            Entry e = cache.get(request.url()); // another thread may have fetched it while we waited
            if (e != null) {
                return e.body().clone();
            }
            Instant next = lastVcekFetch == Instant.MIN ? Instant.MIN : lastVcekFetch.plus(vcekInterval);
            Instant now = clock.instant();
            if (now.isBefore(next)) {
                try {
                    sleeper.sleep(Duration.between(now, next));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new KdsUnavailableException("interrupted while waiting for the VCEK rate limit", ie);
                }
            }
            try {
                return delegate.fetch(request);
            } finally {
                lastVcekFetch = clock.instant();
            }
        }
    }

    /** Drops every cached response. */
    public void clear() {
        cache.clear();
    }
}
