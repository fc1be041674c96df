package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.CONFCOM_FLAGS;
import static dev.parma.policy.Fixtures.commit;
import static dev.parma.policy.Fixtures.container;
import static dev.parma.policy.Fixtures.hash;
import static dev.parma.policy.Fixtures.policy;
import static dev.parma.policy.engine.Assertions2.allowed;
import static dev.parma.policy.engine.Assertions2.denied;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parma.policy.Anchors;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.Policies;

/** execution-policy.md §7 scenarios 1–12: mount_device, unmount_device, rw devices, blockdev. */
class DeviceMountConformanceTest {

    static final String T = "/run/mounts/scsi/m1";
    final Container x = container("x", hash(1), hash(2)).build();
    final Container y = container("y", hash(3)).build();
    final PolicyEngine engine = PolicyEngine.load(policy(CONFCOM_FLAGS, x, y));

    @Test
    void mount_device_01_layerOfAnyContainer_allowedAndRecorded() {
        commit(engine.evaluate(new Request.MountDevice(T, hash(3))));
        assertThat(engine.state().devices()).containsEntry(T, hash(3));
    }

    @Test
    void mount_device_02_unknownHash_deniedDeviceHashNotFound() {
        denied(engine.evaluate(new Request.MountDevice(T, hash(99))), "deviceHash not found");
        assertThat(engine.state().devices()).isEmpty();
    }

    @Test
    void mount_device_03_targetAlreadyMounted_denied() {
        commit(engine.evaluate(new Request.MountDevice(T, hash(1))));
        denied(engine.evaluate(new Request.MountDevice(T, hash(2))), "device already mounted at path");
    }

    @Test
    void mount_device_04_targetOutsideScsiMounts_deniedMountpointInvalid() {
        denied(engine.evaluate(new Request.MountDevice("/tmp/m1", hash(1))), "mountpoint invalid");
        denied(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/mx", hash(1))), "mountpoint invalid");
    }

    @Test
    void mount_device_05_pathTraversal_deniedMountpointInvalid() {
        denied(engine.evaluate(new Request.MountDevice(T + "/../../..", hash(1))), "mountpoint invalid");
    }

    @Test
    void unmount_device_06_thenOverlayNeedingIt_unmountAllowedOverlayDenied() {
        commit(engine.evaluate(new Request.MountDevice(T, hash(3))));
        commit(engine.evaluate(new Request.UnmountDevice(T)));
        denied(engine.evaluate(new Request.MountOverlay("c1", List.of(T), "/run/gcs/c/c1/rootfs")),
                "no matching containers for overlay");
    }

    @Test
    void unmount_device_07_unknownTarget_denied() {
        denied(engine.evaluate(new Request.UnmountDevice("/run/mounts/scsi/m9")), "no device at path to unmount");
    }

    static final String RW = "/run/gcs/c/" + "b".repeat(64);

    @Test
    void rw_mount_device_08_encryptedXfs_allowed() {
        commit(engine.evaluate(new Request.RwMountDevice(RW, true, true, "xfs")));
        assertThat(engine.state().rwDevices()).contains(RW);
        commit(engine.evaluate(new Request.RwUnmountDevice(RW)));
        assertThat(engine.state().rwDevices()).isEmpty();
    }

    @Test
    void rw_mount_device_09_unencryptedWithoutFlag_denied() {
        denied(engine.evaluate(new Request.RwMountDevice(RW, false, true, "ext4")),
                "unencrypted scratch not allowed, non-readonly mount request");
        Flags unencrypted = new Flags(true, false, false, false, true, false, false);
        allowed(PolicyEngine.load(policy(unencrypted, x)).evaluate(new Request.RwMountDevice(RW, false, true, "ext4")));
    }

    @Test
    void rw_mount_device_10_noEnsureFilesystemOrBtrfs_denied() {
        denied(engine.evaluate(new Request.RwMountDevice(RW, true, false, "xfs")),
                "ensureFilesystem must be set on rw device mounts");
        denied(engine.evaluate(new Request.RwMountDevice(RW, true, true, "btrfs")),
                "rw device mounts uses a filesystem that is not allowed");
    }

    @Test
    void rw_mount_device_11_api0100PolicyWithoutRule_evaluatedByFramework() {
        PolicyEngine old = PolicyEngine.load(Anchors.policy(Anchors.ENV_VARS));
        assertThat(old.policy().rule("rw_mount_device")).isEmpty();
        allowed(old.evaluate(new Request.RwMountDevice(RW, true, true, "xfs")));
        denied(old.evaluate(new Request.RwMountDevice(RW, false, true, "xfs")), "unencrypted scratch not allowed");
    }

    @Test
    void mount_blockdev_12_any_deniedNotSupported() {
        denied(engine.evaluate(new Request.MountBlockdev("/run/blockdev/b0")), "blockdev mounts are not supported");
        assertThat(PolicyEngine.load(Anchors.policy(Anchors.VOLUME_MOUNTS))
                .evaluate(new Request.MountBlockdev("/run/blockdev/b0")).allowed()).isFalse();
    }

    @Test
    void unmount_blockdev_12_any_deniedNotSupported() {
        denied(engine.evaluate(new Request.UnmountBlockdev("/run/blockdev/b0")), "blockdev mounts are not supported");
        PolicyEngine current = PolicyEngine.load(Policies.fromText("package policy\napi_version := \"0.11.1\"\n"
                + "framework_version := \"0.3.0\"\nunmount_blockdev := data.framework.unmount_blockdev\n"
                + "reason := {\"errors\": data.framework.errors}\n"));
        denied(current.evaluate(new Request.UnmountBlockdev("/run/blockdev/b0")), "blockdev mounts are not supported");
    }

    @Test
    void unmount_device_failedHostUnmount_latchesEngineAgainstMountsAndCreates() {
        commit(engine.evaluate(new Request.MountDevice(T, hash(3))));
        Decision.Allow unmount = allowed(engine.evaluate(new Request.UnmountDevice(T)));
        unmount.abort(); // the host could not unmount: the UVM state is unknown
        assertThat(engine.inconsistent()).isTrue();
        denied(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m2", hash(1))),
                "UVM is in an inconsistent state after a failed unmount_device");
        denied(engine.evaluate(new Request.ScratchMount("/s", true)), "inconsistent state");
        allowed(engine.evaluate(new Request.GetProperties()));
        // a failed mount (not an unmount) does not latch
        PolicyEngine other = PolicyEngine.load(policy(CONFCOM_FLAGS, x, y));
        allowed(other.evaluate(new Request.MountDevice(T, hash(3)))).abort();
        assertThat(other.inconsistent()).isFalse();
    }
}
