package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.CONFCOM_FLAGS;
import static dev.parma.policy.Fixtures.cid;
import static dev.parma.policy.Fixtures.commit;
import static dev.parma.policy.Fixtures.container;
import static dev.parma.policy.Fixtures.create;
import static dev.parma.policy.Fixtures.hash;
import static dev.parma.policy.Fixtures.mountOverlay;
import static dev.parma.policy.Fixtures.policy;
import static dev.parma.policy.engine.Assertions2.allowed;
import static dev.parma.policy.engine.Assertions2.denied;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parma.policy.model.Container;

/** §7 scenarios 13–20: mount_overlay, unmount_overlay and rollback. */
class OverlayConformanceTest {

    final Container x = container("x", hash(1), hash(2)).build();
    final Container twin = container("twin", hash(1), hash(2)).command("/bin/other").build();
    final Container b = container("b", hash(3), hash(4)).build();
    final PolicyEngine engine = PolicyEngine.load(policy(CONFCOM_FLAGS, x, twin, b));

    private void mountDevices(String... hashes) {
        for (int i = 0; i < hashes.length; i++) {
            commit(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m" + i, hashes[i])));
        }
    }

    @Test
    void mount_overlay_13_topmostFirst_allowedMatchesAllWithThatLayerList() {
        mountDevices(hash(1), hash(2));
        commit(engine.evaluate(
                new Request.MountOverlay(cid(1), List.of("/run/mounts/scsi/m1", "/run/mounts/scsi/m0"), "/o1")));
        assertThat(engine.state().matches().get(cid(1))).containsExactly(x, twin);
        assertThat(engine.state().overlayTargets()).contains("/o1");
    }

    @Test
    void mount_overlay_14_wrongOrderMissingOrExtraLayer_denied() {
        mountDevices(hash(1), hash(2), hash(3));
        String m0 = "/run/mounts/scsi/m0";
        String m1 = "/run/mounts/scsi/m1";
        String m2 = "/run/mounts/scsi/m2";
        denied(engine.evaluate(new Request.MountOverlay(cid(1), List.of(m0, m1), "/o")),
                "no matching containers for overlay");
        denied(engine.evaluate(new Request.MountOverlay(cid(1), List.of(m1), "/o")),
                "no matching containers for overlay");
        denied(engine.evaluate(new Request.MountOverlay(cid(1), List.of(m2, m1, m0), "/o")),
                "no matching containers for overlay");
    }

    @Test
    void mount_overlay_15_identicalAdjacentLayers_allowed() {
        Container dup = container("dup", hash(7), hash(7)).build();
        PolicyEngine e = PolicyEngine.load(policy(CONFCOM_FLAGS, dup));
        mountOverlay(e, dup, cid(1), 0);
        assertThat(e.state().matches()).containsKey(cid(1));
    }

    @Test
    void mount_overlay_16_manyContainersShareLayers_eachFreshIdAllowed() {
        List<Container> cs = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            cs.add(container("c" + i, "1", "2").command("/bin/c" + i).build());
        }
        PolicyEngine e = PolicyEngine.load(policy(CONFCOM_FLAGS, cs.toArray(new Container[0])));
        commit(e.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", "1")));
        commit(e.evaluate(new Request.MountDevice("/run/mounts/scsi/m1", "2")));
        for (int i = 0; i < 14; i++) {
            commit(e.evaluate(new Request.MountOverlay(cid(i), List.of("/run/mounts/scsi/m1", "/run/mounts/scsi/m0"),
                    "/o" + i)));
            assertThat(e.state().matches().get(cid(i))).hasSize(14);
        }
    }

    @Test
    void mount_overlay_17_sameIdAgain_deniedAlreadyMounted() {
        mountOverlay(engine, x, cid(1), 0);
        denied(engine.evaluate(new Request.MountOverlay(cid(1), List.of("/run/mounts/scsi/m1", "/run/mounts/scsi/m0"),
                "/other")), "overlay has already been mounted");
    }

    @Test
    void mount_overlay_18_sameIdWithAnotherContainersLayers_denied() {
        mountOverlay(engine, x, cid(1), 0);
        commit(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m5", hash(3))));
        commit(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m6", hash(4))));
        denied(engine.evaluate(new Request.MountOverlay(cid(1), List.of("/run/mounts/scsi/m6", "/run/mounts/scsi/m5"),
                "/o2")));
    }

    @Test
    void unmount_overlay_19_mountedAllowedUnknownDenied() {
        mountOverlay(engine, x, cid(1), 0);
        String target = "/run/gcs/c/" + cid(1) + "/rootfs";
        commit(engine.evaluate(new Request.UnmountOverlay(target)));
        denied(engine.evaluate(new Request.UnmountOverlay(target)), "no overlay at path to unmount");
        // matches survive unmount_overlay
        assertThat(engine.state().matches()).containsKey(cid(1));
    }

    @Test
    void mount_overlay_20_hostOperationFailed_rolledBackThenRedoAllowsCreate() {
        commit(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", hash(3))));
        commit(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m1", hash(4))));
        Decision.Allow overlay = allowed(engine.evaluate(
                new Request.MountOverlay(cid(1), List.of("/run/mounts/scsi/m1", "/run/mounts/scsi/m0"), "/o")));
        overlay.abort(); // host failed to mount the overlay
        assertThat(engine.state().matches()).doesNotContainKey(cid(1));
        denied(engine.evaluate(create(b, cid(1))));
        commit(engine.evaluate(
                new Request.MountOverlay(cid(1), List.of("/run/mounts/scsi/m1", "/run/mounts/scsi/m0"), "/o")));
        allowed(engine.evaluate(create(b, cid(1))));
    }

    @Test
    void commit_twice_isRejected_andConflictingCommitAppliesNothing() {
        Decision.Allow a = allowed(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", hash(1))));
        Decision.Allow b2 = allowed(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", hash(2))));
        a.commit();
        org.assertj.core.api.Assertions.assertThatThrownBy(a::commit).isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(b2::commit).isInstanceOf(StateConflictException.class);
        assertThat(engine.state().devices()).containsEntry("/run/mounts/scsi/m0", hash(1));
    }
}
