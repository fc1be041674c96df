package dev.parma.guest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * Entry point of the simulated UVM: {@code java -cp <measured image> dev.parma.guest.GuestMain <uvm-dir>
 * [<socket-dir>]}. Listens for host requests on {@code <socket-dir>/agent.sock}, reaches the secure processor only
 * through {@code <socket-dir>/sev-guest.sock} (socket-dir defaults to uvm-dir), and serves the in-group attestation endpoint on 127.0.0.1 (port in
 * {@code <uvm-dir>/attest.port}).
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
        int port = Integer.getInteger("parma.guest.attest-port", 0);
        var http = attestationServer(channel, port);
        Files.writeString(dir.resolve("attest.port"), Integer.toString(http.getAddress().getPort()));
        Path sock = sockets.resolve("agent.sock");
        Files.deleteIfExists(sock);
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            // bind() creates the socket file before the socket listens: the host waits for this file instead
            Files.writeString(sockets.resolve("agent.ready"), Long.toString(ProcessHandle.current().pid()));
            System.out.println("guest agent ready on " + sock + ", attestation on 127.0.0.1:"
                    + http.getAddress().getPort());
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

    /**
     * ACI's SKR sidecar shape: {@code POST /attest/raw} with {@code {"runtime_data": "<base64>"}} returns the report
     * with REPORT_DATA = SHA-256(runtime data) (zero-padded to 64 bytes), the VCEK chain and the UVM endorsement.
     */
    static HttpServer attestationServer(ReportChannel channel, int port) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/attest/raw", ex -> {
            try (ex) {
                if (!"POST".equals(ex.getRequestMethod())) {
                    send(ex, 405, GuestAgent.error("MethodNotAllowed", "POST only"));
                    return;
                }
                var body = Frames.JSON.readTree(ex.getRequestBody());
                byte[] runtimeData = Base64.getDecoder().decode(body.path("runtime_data").asText(""));
                byte[] reportData = new byte[64];
                System.arraycopy(GuestAgent.sha256(runtimeData), 0, reportData, 0, 32);
                var ev = channel.request(reportData, 0);
                ObjectNode o = Frames.object();
                o.put("report", HexFormat.of().formatHex(ev.report()));
                o.put("vcekCertChain", ev.vcekChainPem());
                o.put("uvmEndorsement", ev.uvmEndorsement());
                o.put("runtimeData", Base64.getEncoder().encodeToString(runtimeData));
                send(ex, 200, o);
            } catch (IllegalArgumentException e) {
                send(ex, 400, GuestAgent.error("BadRequest", e.getMessage()));
            } catch (IOException e) {
                send(ex, 502, GuestAgent.error("SecureProcessor", e.getMessage()));
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            var t = new Thread(r, "attest-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    private static void send(HttpExchange ex, int code, ObjectNode body) throws IOException {
        byte[] bytes = Frames.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
