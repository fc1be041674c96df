package dev.parma.guest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * Entry point of the simulated UVM: {@code java -cp <measured image> dev.parma.guest.GuestMain <uvm-dir>
 * [<socket-dir>]}. Listens for host requests on {@code <socket-dir>/agent.sock}, reaches the secure processor only
 * through {@code <socket-dir>/sev-guest.sock} (socket-dir defaults to uvm-dir; the host keeps it 0700), and serves the
 * group's attestation endpoint on {@code <socket-dir>/attest/attest.sock}, which only the group's containers see
 * ({@link AttestEndpoint}).
 */
public final class GuestMain {

    private GuestMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: GuestMain <uvm-dir> [<socket-dir>]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        // Unix socket paths are limited to 107 bytes: the host may put the sockets in a short directory
        Path sockets = args.length == 2 ? Path.of(args[1]).toAbsolutePath() : dir;
        var channel = new ReportChannel(sockets.resolve("sev-guest.sock"));
        var agent = new GuestAgent(dir, sockets, channel);
        var attest = AttestEndpoint.serve(channel, sockets);
        Path sock = sockets.resolve("agent.sock");
        Files.deleteIfExists(sock);
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX); attest) {
            server.bind(UnixDomainSocketAddress.of(sock));
            OwnerOnly.narrow(sock);
            // bind() creates the socket file before the socket listens: the host waits for this file instead
            OwnerOnly.write(sockets.resolve("agent.ready"), Long.toString(ProcessHandle.current().pid()));
            System.out.println("guest agent ready on " + sock + ", attestation on "
                    + AttestEndpoint.directory(sockets).resolve(AttestEndpoint.SOCKET));
            var pool = Executors.newCachedThreadPool(r -> {
                var t = new Thread(r, "host-conn");
                t.setDaemon(true);
                return t;
            });
            while (true) {
                SocketChannel ch = server.accept();
                pool.submit(() -> serve(agent, ch));
            }
        }
    }

    private static void serve(GuestAgent agent, SocketChannel ch) {
        try (ch) {
            var in = Channels.newInputStream(ch);
            var out = Channels.newOutputStream(ch);
            ObjectNode req;
            while ((req = Frames.read(in)) != null) {
                ObjectNode reply = agent.handle(req);
                if (req.has("id")) {
                    reply.set("id", req.get("id"));
                }
                Frames.write(out, reply);
                if ("uvmShutdown".equals(req.path("op").asText())) {
                    break;
                }
                if ("HostDataMismatch".equals(reply.path("code").asText())) {
                    System.err.println(reply.path("error").asText());
                }
            }
        } catch (IOException e) {
            System.err.println("host connection: " + e.getMessage());
        }
    }
}
