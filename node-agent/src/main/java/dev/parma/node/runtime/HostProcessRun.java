package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.guest.Frames;
import dev.parma.guest.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The fallback where runc is missing: the container's command as a plain host process, without its image, with
 * only its own environment. CPU is readable only while the process lives.
 */
final class HostProcessRun implements ContainerRun {

    static final String RUNTIME = "process (runc missing)";

    private final String id;
    private final Instant startedAt;
    private final Process process;
    private final ProcessHandle handle;

    private HostProcessRun(String id, Instant startedAt, Process process, ProcessHandle handle) {
        this.id = id;
        this.startedAt = startedAt;
        this.process = process;
        this.handle = handle;
    }

    static HostProcessRun start(String id, ContainerWorkload spec, Path dir, Path log) throws IOException {
        var pb = new ProcessBuilder(spec.command()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(OwnerOnly.file(log).toFile()));
        // A container sees only its own environment, never the agent's.
        pb.environment().clear();
        pb.environment().put("PATH", OciSpecs.PATH.substring(5));
        spec.environmentVariables().forEach(v -> pb.environment().put(v.name(), v.value() == null ? "" : v.value()));
        Process p = pb.start();
        return new HostProcessRun(id, Instant.now(), p, p.toHandle());
    }

    static HostProcessRun adopt(ObjectNode saved) {
        return ProcessHandle.of(saved.path("pid").asLong()).filter(ProcessHandle::isAlive)
                .map(h -> new HostProcessRun(saved.path("id").asText(), Instant.parse(saved.path("startedAt")
                        .asText()), null, h))
                .orElse(null);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String runtime() {
        return RUNTIME;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public ProcessHandle handle() {
        return handle;
    }

    @Override
    public Integer exitCode() {
        return process != null && !process.isAlive() ? process.exitValue() : null;
    }

    @Override
    public long pid() {
        return handle.isAlive() ? handle.pid() : -1;
    }

    @Override
    public long cpuNanos() {
        if (!handle.isAlive()) {
            return -1;
        }
        return Stream.concat(Stream.of(handle), handle.descendants())
                .mapToLong(x -> x.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    @Override
    public void stop(Duration grace) {
        List<ProcessHandle> tree = Stream.concat(Stream.of(handle), handle.descendants())
                .filter(ProcessHandle::isAlive).toList();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (var p : tree) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public void cleanUp() {
        // nothing beyond the process
    }

    @Override
    public ObjectNode save() {
        ObjectNode o = Frames.object();
        o.put("runtime", RUNTIME);
        o.put("id", id);
        o.put("pid", handle.pid());
        o.put("startedAt", startedAt.toString());
        return o;
    }
}
