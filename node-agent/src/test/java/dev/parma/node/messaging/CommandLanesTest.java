package dev.parma.node.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A slow command holds up only its own group: other groups' commands run beside it, a group's keep their order. */
class CommandLanesTest {

    @Test
    void aSlowDeleteBlocksOnlyItsOwnGroup() throws Exception {
        try (var lanes = new CommandLanes(4)) {
            var release = new CountDownLatch(1);
            var order = new CopyOnWriteArrayList<String>();
            var slow = lanes.submit("a", () -> {
                await(release);
                order.add("a: delete");
            });
            var after = lanes.submit("a", () -> order.add("a: start"));
            // other groups' commands finish while group a's delete still waits
            for (String g : List.of("b", "c", "d", "e", "f")) {
                lanes.submit(g, () -> order.add(g + ": start")).get(10, TimeUnit.SECONDS);
            }
            assertThat(slow).isNotDone();
            assertThat(after).isNotDone();
            release.countDown();
            after.get(10, TimeUnit.SECONDS);
            assertThat(order).containsSubsequence("a: delete", "a: start");
            assertThat(order.indexOf("a: delete")).isEqualTo(5);
            assertThat(lanes.busy()).isZero();
        }
    }

    @Test
    void aFailedCommandDoesNotStopItsLane() throws Exception {
        try (var lanes = new CommandLanes(1)) {
            lanes.submit("a", () -> {
                throw new IllegalStateException("boom");
            });
            var ran = new CountDownLatch(1);
            lanes.submit("a", ran::countDown).get(10, TimeUnit.SECONDS);
            assertThat(ran.getCount()).isZero();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
