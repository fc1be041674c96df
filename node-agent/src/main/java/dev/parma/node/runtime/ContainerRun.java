package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/** One run (one start) of a standard container: under runc, or as a host process where runc is missing. */
sealed interface ContainerRun permits RuncRun, HostProcessRun {

    /** The run's id within its group ({@code <container>-<attempt>}); also its cgroup's name. */
    String id();

    /** "runc", or what the fallback is. */
    String runtime();

    Instant startedAt();

    /** The process whose end is the run's end. */
    ProcessHandle handle();

    /** The exit code once the run ended, or null if it cannot be known. */
    Integer exitCode();

    /** The container's main process id, or -1 if it is not running. */
    long pid();

    /** CPU nanoseconds the run used so far, or -1 if it cannot be read now. */
    long cpuNanos();

    /** SIGTERM, then SIGKILL after the grace period; releases what the run held (bundle, runtime state). */
    void stop(Duration grace);

    /** Releases what an ended run held. */
    void cleanUp();

    /** What a later agent needs to adopt the run. */
    ObjectNode save();
}
