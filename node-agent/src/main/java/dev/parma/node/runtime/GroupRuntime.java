package dev.parma.node.runtime;

import dev.parma.contracts.node.GroupWorkload;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One group on this node, whichever way it runs. */
interface GroupRuntime {

    long generation();

    GroupWorkload workload();

    void start();

    /** Stops the group's containers (and its UVM). */
    void stop(Duration grace);

    /** Lets go of the group without stopping it (agent shutdown: the group keeps running). */
    void detach();

    Map<String, Long> pids();

    /** A container's log: last {@code tail} lines (0 = all), at most the last 4 MB. */
    String logs(String container, int tail, boolean timestamps) throws IOException;

    /**
     * Starts {@code args} in a running container for an interactive exec. A confidential group's guest judges it
     * (exec_in_container) and reports a denial on the group.
     *
     * @throws IllegalArgumentException no such container
     * @throws IllegalStateException the container is not running
     */
    ExecStream openExec(String container, List<String> args) throws IOException, ExecRefused;

    /** Samples CPU and wall time into the overhead metrics. */
    void sample(Overhead overhead);

    /** Re-sends the current status (reconciliation after a restart). */
    void reportNow();
}
