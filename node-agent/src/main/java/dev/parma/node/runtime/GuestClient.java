package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.guest.Frames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The host end of the guest protocol: one framed request/response per connection. */
final class GuestClient {

    private final Path socket;
    private final Overhead overhead;
    private final AtomicLong ids = new AtomicLong();

    /** Every policy evaluation the guest reports in a reply is recorded in {@code overhead}. */
    GuestClient(Path socket, Overhead overhead) {
        this.socket = socket;
        this.overhead = overhead;
    }

    ObjectNode call(String op, ObjectNode args) throws IOException {
        ObjectNode req = args == null ? Frames.object() : args;
        req.put("id", ids.incrementAndGet());
        req.put("op", op);
        ObjectNode reply = Frames.call(socket, req);
        if (reply.has("policyNanos")) {
            overhead.policyEvaluation(reply.path("policyPoint").asText(), reply.path("policyNanos").asLong());
        }
        return reply;
    }

    /** Nanoseconds the guest spent in its policy engine for this reply's request (0 if none). */
    static long policyNanos(ObjectNode reply) {
        return reply.path("policyNanos").asLong(0);
    }

    ObjectNode call(String op) throws IOException {
        return call(op, null);
    }
}
