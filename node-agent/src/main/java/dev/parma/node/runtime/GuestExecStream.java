package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.guest.Frames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * An exec inside a UVM: the guest serves the process's stdio on its own Unix socket as frames (guest-agent's
 * ExecRelay); the host only relays them. Closing the connection ends the process.
 */
final class GuestExecStream implements ExecStream {

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private volatile int exitCode = -1;

    private GuestExecStream(SocketChannel channel) {
        this.channel = channel;
        this.in = Frames.input(channel);
        this.out = Frames.output(channel);
    }

    static GuestExecStream connect(Path socket) throws IOException {
        var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new GuestExecStream(ch);
    }

    @Override
    public String read() throws IOException {
        ObjectNode f = Frames.read(in);
        if (f == null) {
            return null;
        }
        if (f.has("exit")) {
            exitCode = f.path("exit").asInt(-1);
            return null;
        }
        return f.path("stdout").asText("");
    }

    @Override
    public void write(String stdin) throws IOException {
        ObjectNode f = Frames.object();
        f.put("stdin", stdin);
        synchronized (out) {
            Frames.write(out, f);
        }
    }

    @Override
    public int exitCode() {
        return exitCode;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
