package dev.parma.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 of the busiest node agent during a stream of creates and deletes, started again at once on the same
 * work directory, within the loss window: its groups outlive it and are adopted by the new agent, never moved, so
 * no workload restarts and none runs twice.
 */
@ExtendWith(FaultPlatform.Shared.class)
class NodeAgentKillTest {

    @Test
    void aNodeAgentCrashesAndComesBackWithinTheLossWindow(FaultPlatform platform) throws Exception {
        try (var run = new FaultRun(platform, "node-agent-kill")) {
            run.warmUp(Duration.ofSeconds(6));
            var node = run.busiestNode();
            long killed = System.nanoTime();
            node.kill();
            node.start().awaitReady();
            run.back();
            double down = (System.nanoTime() - killed) / 1e9;
            System.out.printf("fault node-agent-kill: %s (%d groups) back after %.1f s%n", node.name,
                    run.runningOn(node), down);
            assertThat(down).as("the agent was back within the loss window (else this is another case)")
                    .isLessThan(FaultPlatform.LIVENESS);
            var figures = run.finish(Duration.ofSeconds(4));
            FaultRun.assertNoLossNoDuplicates(figures);
            FaultRun.assertEvery503SaysWhenToRetry(figures);
            FaultRun.assertNeverTwice(figures);
            FaultRun.assertNoneRestarted(figures);
            run.cleanUp();
        }
    }
}
