package dev.parma.e2e.faults;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kafka broker stops during a stream of creates and deletes and starts again 5 s later on the same data and
 * ports: commands wait in the outbox, heartbeats resume; no command is lost or applied twice, no workload moves.
 */
@ExtendWith(FaultPlatform.Shared.class)
class BrokerRestartTest {

    @Test
    void theBrokerGoesAwayAndComesBack(FaultPlatform platform) throws Exception {
        try (var run = new FaultRun(platform, "kafka-broker-restart")) {
            run.warmUp(Duration.ofSeconds(6));
            platform.stopBroker();
            Thread.sleep(5000);
            platform.startBroker();
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
