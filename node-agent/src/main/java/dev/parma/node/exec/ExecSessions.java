package dev.parma.node.exec;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time exec sessions: what a control-plane exec request grants, until a websocket claims it. Each has a random
 * id (the websocket path) and a random password, is valid for {@link #TTL} and can be claimed once; a claim with the
 * wrong password burns it too, so a leaked id cannot be guessed at. Kept in memory only: a session lives no longer
 * than a websocket handshake takes, so a node restart simply drops the pending ones (the client asks again).
 */
@ApplicationScoped
public class ExecSessions {

    static final Duration TTL = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a session may run. The password is not in {@code toString}: it is never logged. */
    public record Session(String id, String groupId, String container, List<String> args, byte[] password,
            Instant expires) {
        @Override
        public String toString() {
            return "Session[" + id + " " + groupId + "/" + container + "]";
        }
    }

    /** A claim's outcome. */
    public sealed interface Claim {
        record Granted(Session session) implements Claim {
        }

        record Unauthorized() implements Claim {
        }

        record Expired() implements Claim {
        }
    }

    private final Map<String, Session> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    ExecSessions() {
        this(Clock.systemUTC());
    }

    ExecSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session; returns it with its password (the only time the password is given out). */
    public Session create(String groupId, String container, List<String> args) {
        Instant now = clock.instant();
        pending.values().removeIf(s -> s.expires().isBefore(now));
        var s = new Session(random(16), groupId, container, List.copyOf(args),
                random(32).getBytes(StandardCharsets.US_ASCII), now.plus(TTL));
        pending.put(s.id(), s);
        return s;
    }

    /** Claims a session: at most once, whatever the outcome; the password is compared in constant time. */
    public Claim claim(String id, String password) {
        Session s = id == null ? null : pending.remove(id);
        if (s == null) {
            return new Claim.Unauthorized();
        }
        boolean match = password != null
                && MessageDigest.isEqual(s.password(), password.strip().getBytes(StandardCharsets.US_ASCII));
        if (!match) {
            return new Claim.Unauthorized();
        }
        return clock.instant().isAfter(s.expires()) ? new Claim.Expired() : new Claim.Granted(s);
    }

    int pending() {
        return pending.size();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
