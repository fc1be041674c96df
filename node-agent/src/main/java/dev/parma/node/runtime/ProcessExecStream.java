package dev.parma.node.runtime;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** An exec as a local process ({@code runc exec} for a standard group) with its stdio on pipes. */
final class ProcessExecStream implements ExecStream {

    private final Process process;
    private final Reader out;
    private final char[] buf = new char[8192];

    ProcessExecStream(Process process) {
        this.process = process;
        this.out = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8);
    }

    @Override
    public String read() throws IOException {
        int n = out.read(buf);
        return n < 0 ? null : new String(buf, 0, n);
    }

    @Override
    public void write(String stdin) throws IOException {
        var in = process.getOutputStream();
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Override
    public int exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, which runc exec passes on to the process in the container; SIGKILL if it lingers. */
    @Override
    public void close() {
        if (process.isAlive()) {
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
        try {
            out.close();
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
