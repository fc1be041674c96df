package dev.parma.deployment.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.deployment.group.GroupPhase.Creating;
import dev.parma.deployment.group.GroupPhase.Deleted;
import dev.parma.deployment.group.GroupPhase.Deleting;
import dev.parma.deployment.group.GroupPhase.Failed;
import dev.parma.deployment.group.GroupPhase.Pending;
import dev.parma.deployment.group.GroupPhase.Repairing;
import dev.parma.deployment.group.GroupPhase.Stopped;
import dev.parma.deployment.group.GroupPhase.Succeeded;
import dev.parma.deployment.group.GroupPhase.Updating;
import dev.parma.deployment.group.LifecycleEvent.DeleteRequested;
import dev.parma.deployment.group.LifecycleEvent.NodeFailed;
import dev.parma.deployment.group.LifecycleEvent.NodeLost;
import dev.parma.deployment.group.LifecycleEvent.NodeRemoved;
import dev.parma.deployment.group.LifecycleEvent.NodeRunning;
import dev.parma.deployment.group.LifecycleEvent.Placed;
import dev.parma.deployment.group.LifecycleEvent.Rejected;
import dev.parma.deployment.group.LifecycleEvent.RestartRequested;
import dev.parma.deployment.group.LifecycleEvent.StartRequested;
import dev.parma.deployment.group.LifecycleEvent.StopRequested;
import dev.parma.deployment.group.LifecycleEvent.TimedOut;
import dev.parma.deployment.group.LifecycleEvent.UpdateRequested;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given a phase, when an event happens, then the group is in the expected phase — or the event is refused. */
class GroupPhaseTest {

    static final List<LifecycleEvent> ALL = List.of(new Placed("n2"), new NodeRunning(), new NodeFailed("x"),
            new TimedOut(), new NodeLost(), new NodeRemoved(), new UpdateRequested(), new Rejected("x", List.of()),
            new StopRequested(), new StartRequested(), new RestartRequested(), new DeleteRequested());

    @Test
    void aNewGroupIsPlacedThenRunsAndIsDeletedThroughItsNode() {
        GroupPhase p = new Pending();
        p = p.on(new Placed("n1"));
        assertThat(p).isEqualTo(new Creating("n1"));
        assertThat(p.provisioningState()).isEqualTo(ProvisioningState.Creating);
        p = p.on(new NodeRunning());
        assertThat(p).isEqualTo(new Succeeded("n1"));
        assertThat(p.provisioningState()).isEqualTo(ProvisioningState.Succeeded);
        p = p.on(new DeleteRequested());
        assertThat(p).isEqualTo(new Deleting("n1"));
        assertThat(p.holdsQuota()).isFalse();
        assertThat(p.on(new NodeRemoved())).isEqualTo(new Deleted());
    }

    @Test
    void aGroupWithoutANodeIsDeletedAtOnce() {
        assertThat(new Pending().on(new DeleteRequested())).isEqualTo(new Deleted());
        assertThat(new Stopped().on(new DeleteRequested())).isEqualTo(new Deleted());
        assertThat(new Repairing(null).on(new DeleteRequested())).isEqualTo(new Deleted());
    }

    @Test
    void provisioningFailsOnNodeFailureTimeoutOrPreflightRejection() {
        assertThat(new Creating("n1").on(new NodeFailed("boom"))).isEqualTo(new Failed("n1"));
        assertThat(new Updating("n1").on(new TimedOut())).isEqualTo(new Failed("n1"));
        assertThat(new Pending().on(new TimedOut())).isEqualTo(new Failed(null));
        assertThat(new Pending().on(new Rejected("policy", List.of()))).isEqualTo(new Failed(null));
    }

    @Test
    void runtimeFailuresAfterProvisioningDoNotChangeProvisioningState() {
        assertThat(new Succeeded("n1").on(new NodeFailed("exit 1"))).isEqualTo(new Succeeded("n1"));
    }

    @Test
    void aLostNodeSendsItsGroupsToRepairingAndAnotherNodeTakesThem() {
        GroupPhase p = new Succeeded("n1").on(new NodeLost());
        assertThat(p).isEqualTo(new Repairing(null));
        assertThat(p.provisioningState()).isEqualTo(ProvisioningState.Repairing);
        p = p.on(new Placed("n2"));
        assertThat(p).isEqualTo(new Repairing("n2"));
        assertThat(p.on(new NodeRunning())).isEqualTo(new Succeeded("n2"));
        assertThat(new Deleting("n1").on(new NodeLost())).isEqualTo(new Deleted());
    }

    @Test
    void stopDeallocatesAndStartSchedulesAgain() {
        GroupPhase p = new Succeeded("n1").on(new StopRequested());
        assertThat(p).isEqualTo(new Stopped());
        assertThat(p.holdsQuota()).isFalse();
        assertThat(p.nodeId()).isNull();
        assertThat(p.provisioningState()).isEqualTo(ProvisioningState.Succeeded);
        assertThat(p.on(new StartRequested())).isEqualTo(new Pending());
        assertThat(new Failed(null).on(new StartRequested())).isEqualTo(new Pending());
    }

    @Test
    void updatesAndRestartsApplyANewGenerationOnTheSameNode() {
        assertThat(new Succeeded("n1").on(new UpdateRequested())).isEqualTo(new Updating("n1"));
        assertThat(new Succeeded("n1").on(new RestartRequested())).isEqualTo(new Updating("n1"));
        assertThat(new Failed("n1").on(new UpdateRequested())).isEqualTo(new Updating("n1"));
        assertThat(new Updating("n1").on(new NodeRunning())).isEqualTo(new Succeeded("n1"));
        assertThat(new Stopped().on(new UpdateRequested())).isEqualTo(new Pending());
    }

    @Test
    void illegalEventsAreRefusedAndNameThePhase() {
        assertThatThrownBy(() -> new Stopped().on(new RestartRequested()))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("Stopped");
        assertThatThrownBy(() -> new Deleting("n1").on(new StopRequested()))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> new Deleting("n1").on(new UpdateRequested()))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> new Pending().on(new RestartRequested()))
                .isInstanceOf(IllegalTransitionException.class);
        for (var e : ALL) {
            assertThatThrownBy(() -> new Deleted().on(e)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void everyStoredPhaseRoundTripsThroughItsName() {
        for (GroupPhase p : List.of(new Pending(), new Creating("n"), new Updating("n"), new Repairing(null),
                new Repairing("n"), new Succeeded("n"), new Failed(null), new Failed("n"), new Stopped(),
                new Deleting("n"), new Deleted())) {
            assertThat(GroupPhase.of(p.name(), p.nodeId())).isEqualTo(p);
        }
    }

    @Test
    void noLiveStateIsAStuckEnd() {
        // From every live state, delete must be possible (a tenant can always get rid of a group).
        for (GroupPhase p : List.of(new Pending(), new Creating("n"), new Updating("n"), new Repairing(null),
                new Repairing("n"), new Succeeded("n"), new Failed(null), new Failed("n"), new Stopped())) {
            assertThat(p.on(new DeleteRequested())).isInstanceOfAny(Deleting.class, Deleted.class);
        }
    }
}
