package dev.parma.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** HTTP/1.1 over a Unix socket, as a container reaches its group's attestation endpoint. */
final class UnixHttp {

    record Response(int status, String body) {
    }

    private UnixHttp() {
    }

    /**
     * The node's socket directory of a simulated UVM: the first 8 bytes of SHA-256(uvm dir) under
     * {@code <tmpdir>/parma-uvm} (the node agent's {@code SimDriver.socketDir}; socket paths must stay under 108 bytes).
     */
    static Path uvmSocketDir(Path uvmDir) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    uvmDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return Path.of(System.getProperty("java.io.tmpdir"), "parma-uvm", HexFormat.of().formatHex(h, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response post(Path socket, String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        var out = new ByteArrayOutputStream();
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(body));
            var buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        String text = out.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(text.substring(9, 12));
        int split = text.indexOf("\r\n\r\n");
        return new Response(status, split < 0 ? "" : text.substring(split + 4));
    }
}
