package dev.parma.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The node↔guest wire format: each frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON
 * (one object). Frames larger than {@link #MAX_FRAME} are refused, so a hostile peer cannot make the other side
 * allocate without bound. Requests carry {@code id} and {@code op}; responses echo {@code id}.
 */
public final class Frames {

    /** 16 MiB: more than any request or a 4 MB log tail needs. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;

    public static final ObjectMapper JSON = new ObjectMapper();

    private Frames() {
    }

    public static void write(OutputStream out, ObjectNode frame) throws IOException {
        byte[] body = JSON.writeValueAsBytes(frame);
        if (body.length > MAX_FRAME) {
            throw new IOException("frame of " + body.length + " bytes exceeds " + MAX_FRAME);
        }
        var data = new DataOutputStream(out);
        data.writeInt(body.length);
        data.write(body);
        data.flush();
    }

    /** The next frame, or null at a clean end of stream. */
    public static ObjectNode read(InputStream in) throws IOException {
        var data = new DataInputStream(in);
        int length;
        try {
            length = data.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("frame length " + length + " out of range");
        }
        byte[] body = data.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("frame truncated at " + body.length + " of " + length + " bytes");
        }
        var node = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        if (!(node instanceof ObjectNode obj)) {
            throw new IOException("frame is not a JSON object");
        }
        return obj;
    }

    /** One request/response exchange on a fresh connection to a Unix socket. */
    public static ObjectNode call(Path socket, ObjectNode request) throws IOException {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            write(Channels.newOutputStream(ch), request);
            var reply = read(Channels.newInputStream(ch));
            if (reply == null) {
                throw new EOFException("no reply from " + socket);
            }
            return reply;
        }
    }

    /**
     * Streams over a connected channel that one thread may read while another writes: the JDK's
     * {@code Channels.newInputStream/newOutputStream} serialize both directions on the channel's blocking lock, so a
     * blocked read would hold up every write (an exec relay reads output and writes stdin at the same time).
     */
    public static InputStream input(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /** See {@link #input}. */
    public static OutputStream output(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                var buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
