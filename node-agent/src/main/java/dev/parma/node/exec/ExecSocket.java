package dev.parma.node.exec;

import dev.parma.node.config.NodeConfig;
import dev.parma.node.runtime.ExecRefused;
import dev.parma.node.runtime.ExecStream;
import dev.parma.node.runtime.Groups;
import dev.parma.node.runtime.Overhead;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The websocket of an exec session, {@code /exec/{sessionId}}. The client proves the session's password as the
 * {@code Authorization} header value (ACI's way) or, where it cannot set headers (browsers), as its first text
 * message; anything else closes with 1008 before a process runs. Then client messages are the process's stdin and
 * its output comes back as text messages, one in flight at a time (a client that does not read stalls the process,
 * nothing piles up here). When the process ends the socket closes with 1000 and the reason {@code exit <code>}; a
 * client that goes away ends the process.
 */
@WebSocket(path = "/exec/{sessionId}")
public class ExecSocket {

    private static final Logger LOG = Logger.getLogger(ExecSocket.class);
    static final int POLICY_VIOLATION = 1008;
    /** How long a client without the header has to send the password. */
    static final Duration LOGIN_WINDOW = Duration.ofSeconds(10);

    private final ExecSessions sessions;
    private final Groups groups;
    private final Overhead metrics;
    private final NodeConfig.Exec limits;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    /** One connection: waiting for its password, or relaying a process. */
    private static final class Live {
        final WebSocketConnection connection;
        final Instant opened = Instant.now();
        volatile ExecStream stream;
        volatile Instant lastActivity = Instant.now();

        Live(WebSocketConnection connection) {
            this.connection = connection;
        }
    }

    ExecSocket(ExecSessions sessions, Groups groups, Overhead metrics, NodeConfig config) {
        this.sessions = sessions;
        this.groups = groups;
        this.metrics = metrics;
        this.limits = config.exec();
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        var l = new Live(connection);
        live.put(connection.id(), l);
        String header = connection.handshakeRequest().header("Authorization");
        if (header != null) {
            login(l, header);
        }
    }

    @OnTextMessage
    void message(String text, WebSocketConnection connection) {
        var l = live.get(connection.id());
        if (l == null) {
            return;
        }
        l.lastActivity = Instant.now();
        if (l.stream == null) {
            login(l, text);
            return;
        }
        try {
            l.stream.write(text);
        } catch (IOException e) {
            // the process closed its stdin or ended: its exit closes the socket
        }
    }

    @OnClose
    void closed(WebSocketConnection connection) {
        var l = live.remove(connection.id());
        if (l != null && l.stream != null) {
            l.stream.close();
        }
    }

    private void login(Live l, String password) {
        var c = l.connection;
        var claim = sessions.claim(c.pathParam("sessionId"), password);
        if (claim instanceof ExecSessions.Claim.Granted g) {
            start(l, g.session());
        } else if (claim instanceof ExecSessions.Claim.Expired) {
            refuse(l, "expired", "the exec session has expired");
        } else {
            refuse(l, "unauthorized", "invalid session or password");
        }
    }

    private void start(Live l, ExecSessions.Session s) {
        try {
            l.stream = groups.openExec(s.groupId(), s.container(), s.args());
        } catch (ExecRefused e) {
            refuse(l, e.policy() ? "denied" : "failed", e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            refuse(l, "failed", e.getMessage() == null ? "the exec could not start" : e.getMessage());
            return;
        }
        metrics.execSession("started");
        LOG.infof("exec session %s started in %s/%s", s.id(), s.groupId(), s.container());
        var t = new Thread(() -> pump(l), "exec-" + s.id().substring(0, 6));
        t.setDaemon(true);
        t.start();
    }

    /** Process output to the client, one message at a time; then the exit code as the close reason. */
    private void pump(Live l) {
        var c = l.connection;
        try {
            String chunk;
            while ((chunk = l.stream.read()) != null) {
                c.sendTextAndAwait(chunk);
                l.lastActivity = Instant.now();
            }
            c.closeAndAwait(new CloseReason(CloseReason.NORMAL.getCode(), "exit " + l.stream.exitCode()));
        } catch (IOException | RuntimeException e) {
            // the client went away (or the relay broke): closing ends the process
            if (c.isOpen()) {
                c.close(new CloseReason(1011, "exec relay failed")).subscribe().with(x -> {
                }, x -> {
                });
            }
        } finally {
            l.stream.close();
        }
    }

    private void refuse(Live l, String outcome, String reason) {
        live.remove(l.connection.id()); // what the client still sends is not another login
        metrics.execSession(outcome);
        LOG.infof("exec session on %s refused (%s): %s", l.connection.pathParam("sessionId"), outcome, reason);
        l.connection.close(new CloseReason(POLICY_VIOLATION, fit(reason))).subscribe().with(x -> {
        }, x -> {
        });
    }

    /** Closes sessions past their limits, and connections that never sent a password. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void enforceLimits() {
        Instant now = Instant.now();
        for (var l : live.values()) {
            String reason = null;
            if (l.stream == null && l.opened.plus(LOGIN_WINDOW).isBefore(now)) {
                reason = "no password";
                metrics.execSession("unauthorized");
            } else if (l.stream != null && l.opened.plus(limits.maxDuration()).isBefore(now)) {
                reason = "session time limit reached";
            } else if (l.stream != null && l.lastActivity.plus(limits.idleTimeout()).isBefore(now)) {
                reason = "idle time limit reached";
            }
            if (reason != null) {
                live.remove(l.connection.id());
                l.connection.close(new CloseReason(POLICY_VIOLATION, reason)).subscribe().with(x -> {
                }, x -> {
                });
                if (l.stream != null) {
                    l.stream.close();
                }
            }
        }
    }

    /** A close reason is at most 123 bytes of UTF-8. */
    static String fit(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 123) {
            return reason;
        }
        String s = new String(b, 0, 120, StandardCharsets.UTF_8);
        return s.substring(0, s.length() - 1) + "…";
    }
}
