package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.guest.Frames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The host end of the guest protocol: one framed request/response per connection. */
final class GuestClient {

    private final Path socket;
    private final AtomicLong ids = new AtomicLong();

    GuestClient(Path socket) {
        this.socket = socket;
    }

    ObjectNode call(String op, ObjectNode args) throws IOException {
        ObjectNode req = args == null ? Frames.object() : args;
        req.put("id", ids.incrementAndGet());
        req.put("op", op);
        return Frames.call(socket, req);
    }

    ObjectNode call(String op) throws IOException {
        return call(op, null);
    }
}
