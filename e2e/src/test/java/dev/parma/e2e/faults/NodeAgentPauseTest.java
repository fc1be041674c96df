package dev.parma.e2e.faults;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The busiest node agent is frozen (SIGSTOP) past the loss window during a stream of creates and deletes, then
 * resumed (SIGCONT): a hung host that wakes up. Its groups may be moved while it is silent (its containers,
 * which are not frozen, run on meanwhile), but once it is back no group runs twice and nothing is lost.
 */
@ExtendWith(FaultPlatform.Shared.class)
class NodeAgentPauseTest {

    @Test
    void aFrozenNodeAgentWakesUpPastTheLossWindow(FaultPlatform platform) throws Exception {
        try (var run = new FaultRun(platform, "node-agent-pause")) {
            run.warmUp(Duration.ofSeconds(6));
            var node = run.busiestNode();
            System.out.printf("fault node-agent-pause: freezing %s (%d groups) for %d s%n", node.name,
                    run.runningOn(node), FaultPlatform.LIVENESS + 10);
            node.pause();
            Thread.sleep((FaultPlatform.LIVENESS + 10) * 1000L);
            node.resume();
            run.back();
            var figures = run.finish(Duration.ofSeconds(4));
            FaultRun.assertNoLossNoDuplicates(figures);
            FaultRun.assertEvery503SaysWhenToRetry(figures);
            run.cleanUp();
        }
    }
}
