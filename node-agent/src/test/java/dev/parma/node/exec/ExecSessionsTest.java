package dev.parma.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecSessionsTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

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

    final TestClock clock = new TestClock();
    final ExecSessions sessions = new ExecSessions(clock);

    static String password(ExecSessions.Session s) {
        return new String(s.password(), StandardCharsets.US_ASCII);
    }

    @Test
    void aSessionIsGrantedOnceWithItsPasswordAndItsSecretsAreRandomAndLong() {
        var s = sessions.create("g", "app", List.of("/bin/sh"));
        var other = sessions.create("g", "app", List.of("/bin/sh"));
        assertThat(s.id()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(other.id()); // 128 bits
        assertThat(password(s)).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(password(other)); // 256 bits
        assertThat(s.toString()).doesNotContain(password(s));

        assertThat(sessions.claim(s.id(), password(s))).isInstanceOfSatisfying(ExecSessions.Claim.Granted.class,
                g -> assertThat(g.session().args()).containsExactly("/bin/sh"));
        assertThat(sessions.claim(s.id(), password(s))).isInstanceOf(ExecSessions.Claim.Unauthorized.class);
    }

    @Test
    void aWrongPasswordIsRefusedAndBurnsTheSession() {
        var s = sessions.create("g", "app", List.of("/bin/sh"));
        assertThat(sessions.claim(s.id(), password(s) + "x")).isInstanceOf(ExecSessions.Claim.Unauthorized.class);
        assertThat(sessions.claim(s.id(), null)).isInstanceOf(ExecSessions.Claim.Unauthorized.class);
        assertThat(sessions.claim(s.id(), password(s))).isInstanceOf(ExecSessions.Claim.Unauthorized.class);
        assertThat(sessions.claim("no-such-id", password(s))).isInstanceOf(ExecSessions.Claim.Unauthorized.class);
    }

    @Test
    void aSessionExpiresAfterSixtySecondsAndExpiredOnesAreDropped() {
        var s = sessions.create("g", "app", List.of("/bin/sh"));
        var fresh = sessions.create("g", "app", List.of("/bin/sh"));
        clock.now = clock.now.plus(Duration.ofSeconds(59));
        assertThat(sessions.claim(fresh.id(), password(fresh))).isInstanceOf(ExecSessions.Claim.Granted.class);
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        assertThat(sessions.claim(s.id(), password(s))).isInstanceOf(ExecSessions.Claim.Expired.class);

        sessions.create("g", "app", List.of("/bin/sh"));
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        sessions.create("g", "app", List.of("/bin/sh"));
        assertThat(sessions.pending()).isEqualTo(1);
    }
}
