package dev.parma.guest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The stdio of one process exec'd into a container, served on its own Unix socket (the simulated UVM's vsock port;
 * hcsshim relays exec stdio the same way). The host connects once, within {@link #ACCEPT_MILLIS}; then frames flow
 * both ways: host → guest {@code {"stdin": text}} and {@code {"eof": true}}; guest → host {@code {"stdout": text}}
 * (stdout and stderr merged, as through a terminal) and, last, {@code {"exit": code}}. The host closing the
 * connection ends the process; the process ending closes the connection. Nothing is buffered beyond one chunk: a
 * host that does not read stalls the process's output.
 */
final class ExecRelay {

    static final long ACCEPT_MILLIS = 60_000;
    private static final int CHUNK = 8192;

    private final Process process;
    private final Path socket;
    private final ServerSocketChannel server;

    private ExecRelay(Process process, Path socket, ServerSocketChannel server) {
        this.process = process;
        this.socket = socket;
        this.server = server;
    }

    /** Binds the socket and serves the process on it; the process is ended if nobody connects in time. */
    static ExecRelay serve(Process process, Path socket) throws IOException {
        Files.deleteIfExists(socket);
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            OwnerOnly.narrow(socket); // the host's to connect to, no one else's
        } catch (IOException e) {
            server.close();
            process.destroyForcibly();
            throw e;
        }
        var relay = new ExecRelay(process, socket, server);
        daemon("exec-accept", relay::accept);
        daemon("exec-deadline", () -> {
            sleep(ACCEPT_MILLIS);
            relay.closeServer(); // accept() fails if still waiting; harmless once connected
        });
        return relay;
    }

    private void accept() {
        SocketChannel ch;
        try {
            ch = server.accept();
        } catch (IOException e) {
            process.destroyForcibly(); // nobody came
            return;
        } finally {
            closeServer();
        }
        daemon("exec-stdin", () -> stdin(ch));
        stdout(ch);
    }

    private void stdin(SocketChannel ch) {
        var in = Frames.input(ch);
        try (OutputStream to = process.getOutputStream()) {
            ObjectNode f;
            while ((f = Frames.read(in)) != null && !f.path("eof").asBoolean()) {
                to.write(f.path("stdin").asText("").getBytes(StandardCharsets.UTF_8));
                to.flush();
            }
        } catch (IOException ignored) {
            // the process closed its stdin, or the host went away
        }
    }

    private void stdout(SocketChannel ch) {
        try (ch; Reader from = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            var out = Frames.output(ch);
            char[] buf = new char[CHUNK];
            int n;
            while ((n = from.read(buf)) >= 0) {
                ObjectNode f = Frames.object();
                f.put("stdout", new String(buf, 0, n));
                Frames.write(out, f);
            }
            ObjectNode exit = Frames.object();
            exit.put("exit", process.waitFor());
            Frames.write(out, exit);
        } catch (IOException e) {
            end(); // the host went away: so does the process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end();
        }
    }

    /** SIGTERM (runc exec passes it on to the process), SIGKILL if it lingers. */
    private void end() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void closeServer() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void daemon(String name, Runnable r) {
        var t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
