package dev.parma.e2e.faults;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 of the deployment service during a stream of creates and deletes, started again 3 s later: a
 * control-plane restart is routine and must be invisible to running workloads (issue 14: 0 restarted, nothing
 * lost or duplicated, everything terminal soon after it is back).
 */
@ExtendWith(FaultPlatform.Shared.class)
class DeploymentServiceKillTest {

    @Test
    void theControlPlaneCrashesAndComesBack(FaultPlatform platform) throws Exception {
        try (var run = new FaultRun(platform, "deployment-service-kill")) {
            run.warmUp(Duration.ofSeconds(6));
            platform.deployment.kill();
            Thread.sleep(3000);
            platform.deployment.start().awaitReady();
            run.back();
            var figures = run.finish(Duration.ofSeconds(4));
            FaultRun.assertNoLossNoDuplicates(figures);
            FaultRun.assertEvery503SaysWhenToRetry(figures);
            FaultRun.assertNeverTwice(figures);
            FaultRun.assertNoneRestarted(figures);
            run.cleanUp();
        }
    }
}
