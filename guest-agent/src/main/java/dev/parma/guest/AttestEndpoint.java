package dev.parma.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The group's attestation endpoint, in the shape of ACI's SKR sidecar: {@code POST /attest/raw} with
 * {@code {"runtime_data": "<base64>"}} returns a report whose REPORT_DATA is SHA-256(runtime data) followed by 32 zero
 * bytes, with the VCEK chain and the UVM endorsement. It speaks HTTP/1.x on a Unix socket,
 * {@code <socket-dir>/attest/attest.sock}, and nowhere else: every container on a node shares the node's network
 * namespace, so a loopback port would be every tenant's. The guest binds that directory — only it, never its other
 * sockets — into each of its own containers at {@link #CONTAINER_DIR} (see {@link GuestAgent}); a container of another
 * group has its own mount namespace and cannot name the path, and on the node the socket directory is 0700.
 *
 * <p>
 * One request per connection ({@code Connection: close}); the request must arrive within {@link #DEADLINE}, its body
 * sent with {@code Content-Length} and at most {@link #MAX_BODY} bytes. Errors are {@code {"error": {code, message,
 * target?}}}.
 */
public final class AttestEndpoint implements AutoCloseable {

    /** Where a container finds the endpoint's directory: the socket is {@code /run/parma/attest.sock}. */
    public static final String CONTAINER_DIR = "/run/parma";
    public static final String SOCKET = "attest.sock";
    static final int MAX_HEAD = 8192;
    static final int MAX_BODY = 64 * 1024;
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ReportChannel channel;
    private final Path socket;
    private final ServerSocketChannel server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> daemon(r, "attest"));
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "attest-deadline"));

    private AttestEndpoint(ReportChannel channel, Path socket, ServerSocketChannel server) {
        this.channel = channel;
        this.socket = socket;
        this.server = server;
    }

    /** The directory that holds the socket, under the guest's socket directory. */
    public static Path directory(Path sockets) {
        return sockets.resolve("attest");
    }

    /** Binds the socket (replacing a stale one) and serves it on daemon threads until closed. */
    public static AttestEndpoint serve(ReportChannel channel, Path sockets) throws IOException {
        Path dir = Files.createDirectories(directory(sockets));
        // any user of the group's containers may attest (as with ACI's sidecar); the node's other users are kept
        // out by the socket directory above, 0700
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = dir.resolve(SOCKET);
        Files.deleteIfExists(socket);
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        var endpoint = new AttestEndpoint(channel, socket, server);
        daemon(endpoint::acceptLoop, "attest-accept").start();
        return endpoint;
    }

    /**
     * The mount that shows the endpoint in a container: the socket's directory, read-only, at {@link #CONTAINER_DIR}.
     * The guest adds it after create_container allowed the spec, last, so no mount the host proposed can cover it.
     */
    static ObjectNode mount(Path sockets) {
        ObjectNode m = Frames.object();
        m.put("destination", CONTAINER_DIR);
        m.put("type", "bind");
        m.put("source", directory(sockets).toAbsolutePath().toString());
        List.of("bind", "ro", "nosuid", "nodev", "noexec").forEach(m.putArray("options")::add);
        return m;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                // the deadline runs from the accept: a connection waiting for a worker counts against it too
                var deadline = deadlines.schedule(() -> close(ch), DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                workers.submit(() -> {
                    try (ch) {
                        var in = Frames.input(ch);
                        Frames.output(ch).write(respond(in).bytes());
                        ch.shutdownOutput();
                        // what the client still sends (a body refused unread) is drained until it closes or the
                        // deadline passes, so it reads the answer rather than a reset connection
                        byte[] discard = new byte[8192];
                        while (in.read(discard, 0, discard.length) >= 0) {
                            // drained
                        }
                    } catch (IOException e) {
                        // the client went away, or took too long
                    } finally {
                        deadline.cancel(false);
                    }
                });
            } catch (IOException e) {
                if (server.isOpen()) {
                    System.err.println("attestation endpoint: " + e.getMessage());
                }
            }
        }
    }

    /** An HTTP response: status and JSON body. */
    record Response(int status, ObjectNode body) {

        byte[] bytes() throws IOException {
            byte[] json = Frames.JSON.writeValueAsBytes(body);
            String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length + "\r\nConnection: close\r\n\r\n";
            var out = new ByteArrayOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            return out.toByteArray();
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 411 -> "Length Required";
                case 413 -> "Content Too Large";
                case 431 -> "Request Header Fields Too Large";
                default -> "Bad Gateway";
            };
        }
    }

    /** Reads one request and answers it. */
    Response respond(InputStream in) throws IOException {
        String head = head(in);
        if (head == null) {
            return error(431, "HeadersTooLarge", "the request line and headers exceed " + MAX_HEAD + " bytes", null);
        }
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
            return error(400, "BadRequest", "not an HTTP/1.x request line", null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon
                        + 1).strip());
            }
        }
        if (!start[1].equals("/attest/raw")) {
            return error(404, "NotFound", "no such path: this endpoint serves POST /attest/raw", null);
        }
        if (!start[0].equals("POST")) {
            return error(405, "MethodNotAllowed", "/attest/raw takes POST", null);
        }
        String length = headers.get("content-length");
        if (headers.containsKey("transfer-encoding") || length == null) {
            return error(411, "LengthRequired", "send the body with a Content-Length", null);
        }
        int n;
        try {
            n = Integer.parseInt(length);
        } catch (NumberFormatException e) {
            return error(400, "BadRequest", "Content-Length is not a number", null);
        }
        if (n < 0 || n > MAX_BODY) {
            return error(413, "BodyTooLarge", "the body may have at most " + MAX_BODY + " bytes", null);
        }
        byte[] body = in.readNBytes(n);
        if (body.length != n) {
            throw new IOException("the body ended early");
        }
        return attestRaw(body);
    }

    /** The request line and headers up to the empty line, or null if they are too long. */
    private static String head(InputStream in) throws IOException {
        var buf = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended early");
            }
            buf.write(b);
            if (buf.size() > MAX_HEAD) {
                return null;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private Response attestRaw(byte[] body) {
        JsonNode req;
        try {
            req = Frames.JSON.readTree(body);
        } catch (IOException e) {
            return error(400, "BadRequest", "the body is not JSON", null);
        }
        JsonNode data = req == null ? null : req.get("runtime_data");
        if (data == null || !data.isTextual()) {
            return error(400, "BadRequest", "runtime_data (base64) is required", "runtime_data");
        }
        byte[] runtimeData;
        try {
            runtimeData = Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            return error(400, "BadRequest", "runtime_data is not base64", "runtime_data");
        }
        byte[] reportData = new byte[64];
        System.arraycopy(GuestAgent.sha256(runtimeData), 0, reportData, 0, 32);
        try {
            var ev = channel.request(reportData, 0);
            ObjectNode o = Frames.object();
            o.put("report", HexFormat.of().formatHex(ev.report()));
            o.put("vcekCertChain", ev.vcekChainPem());
            o.put("uvmEndorsement", ev.uvmEndorsement());
            o.put("runtimeData", Base64.getEncoder().encodeToString(runtimeData));
            return new Response(200, o);
        } catch (IOException e) {
            return error(502, "SecureProcessor", "no report from the secure processor: " + e.getMessage(), null);
        }
    }

    private static Response error(int status, String code, String message, String target) {
        ObjectNode o = Frames.object();
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("message", message);
        if (target != null) {
            e.put("target", target);
        }
        return new Response(status, o);
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static Thread daemon(Runnable r, String name) {
        var t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws IOException {
        server.close();
        workers.shutdownNow();
        deadlines.shutdownNow();
        Files.deleteIfExists(socket);
    }
}
