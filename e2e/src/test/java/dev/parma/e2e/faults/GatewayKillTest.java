package dev.parma.e2e.faults;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 of the api-gateway during a stream of creates and deletes, started again 2 s later on the same port:
 * requests in flight get no answer, but whatever the gateway accepted was handed on, and nothing behind it moves.
 */
@ExtendWith(FaultPlatform.Shared.class)
class GatewayKillTest {

    @Test
    void theGatewayCrashesAndComesBack(FaultPlatform platform) throws Exception {
        try (var run = new FaultRun(platform, "api-gateway-kill")) {
            run.warmUp(Duration.ofSeconds(6));
            platform.gateway.kill();
            Thread.sleep(2000);
            platform.gateway.start().awaitReady();
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
