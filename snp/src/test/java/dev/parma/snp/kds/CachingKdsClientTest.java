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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachingKdsClientTest {

    /** A clock tests move by hand; sleeping advances it. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

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
    }

    static KdsRequest.Vcek vcek(int ucode) {
        return new KdsRequest.Vcek(Product.MILAN, new byte[64], TcbParts.of(1, 0, 1, ucode));
    }

    @Test
    void vcekRequestsAreCachedAndSpacedTenSecondsApart() throws Exception {
        ManualClock clock = new ManualClock();
        List<Duration> sleeps = new ArrayList<>();
        List<String> fetched = new ArrayList<>();
        KdsClient origin = r -> {
            fetched.add(r.url());
            return r.url().getBytes();
        };
        CachingKdsClient kds = new CachingKdsClient(origin, clock, d -> {
            sleeps.add(d);
            clock.now = clock.now.plus(d);
        }, CachingKdsClient.AMD_VCEK_INTERVAL, Duration.ofHours(1));

        assertThat(kds.fetch(vcek(1))).isEqualTo(vcek(1).url().getBytes());
        clock.now = clock.now.plusSeconds(3);
        kds.fetch(vcek(2)); // must wait the remaining 7 s
        kds.fetch(vcek(1)); // cached: no wait, no fetch
        kds.fetch(new KdsRequest.CertChain(Product.MILAN, SigningKey.VCEK)); // not rate limited
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(fetched).hasSize(3);
    }

    @Test
    void crlsExpireFromTheCache() throws Exception {
        ManualClock clock = new ManualClock();
        int[] count = {0};
        CachingKdsClient kds = new CachingKdsClient(r -> {
            count[0]++;
            return new byte[]{1};
        }, clock, d -> {
        }, Duration.ofSeconds(10), Duration.ofMinutes(30));
        KdsRequest.Crl crl = new KdsRequest.Crl(Product.GENOA, SigningKey.VCEK);
        kds.fetch(crl);
        kds.fetch(crl);
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        kds.fetch(crl);
        assertThat(count[0]).isEqualTo(2);
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
