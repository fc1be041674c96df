package dev.parma.node.runtime;

import java.io.IOException;

/**
 * A process exec'd into a container, as the node sees it: text in, text out (stdout and stderr merged), then an exit
 * code. Reads block; nothing is buffered beyond one chunk, so a slow reader slows the process down.
 */
public interface ExecStream extends AutoCloseable {

    /** The next chunk of output, or null once the process has ended. */
    String read() throws IOException;

    void write(String stdin) throws IOException;

    /** The exit code, once {@link #read} has returned null (-1 if unknown). */
    int exitCode();

    /** Ends the process if it still runs and lets go of its stdio. */
    @Override
    void close();
}
