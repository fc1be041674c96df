package dev.parma.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parma.policy.model.PolicyDecoder;
import dev.parma.policy.model.RuleBinding;

/** The enforcement-point manifest agrees with hcsshim's API table and every built-in policy covers it. */
class ManifestTest {

    @Test
    void api0100HasExactlyTheSeventeenLinuxPoints() {
        assertThat(Arrays.stream(EnforcementPoint.values()).filter(EnforcementPoint::inApi0100)
                .map(EnforcementPoint::ruleName)).containsExactlyInAnyOrder("mount_device", "mount_overlay",
                        "create_container", "unmount_device", "exec_in_container", "exec_external",
                        "shutdown_container", "signal_container_process", "unmount_overlay", "plan9_mount",
                        "plan9_unmount", "get_properties", "dump_stacks", "runtime_logging", "load_fragment",
                        "scratch_mount", "scratch_unmount");
        assertThat(EnforcementPoint.values()).hasSize(20);
    }

    @Test
    void defaultsForOlderPolicies_matchTheApiTable() {
        for (EnforcementPoint p : List.of(EnforcementPoint.MOUNT_DEVICE, EnforcementPoint.MOUNT_OVERLAY,
                EnforcementPoint.CREATE_CONTAINER, EnforcementPoint.LOAD_FRAGMENT, EnforcementPoint.MOUNT_BLOCKDEV)) {
            assertThat(p.defaults()).as(p.ruleName()).isEqualTo(EnforcementPoint.Defaults.DENY);
        }
        assertThat(EnforcementPoint.RW_MOUNT_DEVICE.defaults()).isEqualTo(EnforcementPoint.Defaults.USE_FRAMEWORK);
        assertThat(EnforcementPoint.SIGNAL_CONTAINER_PROCESS.introduced().toString()).isEqualTo("0.5.0");
        assertThat(EnforcementPoint.MOUNT_BLOCKDEV.introduced().toString()).isEqualTo("0.11.1");
    }

    @Test
    void everyPointIsAKnownRule_andTheOpenDoorBindsEveryPointToAllow() {
        for (EnforcementPoint p : EnforcementPoint.values()) {
            assertThat(PolicyDecoder.KNOWN_RULES).contains(p.ruleName());
            assertThat(EnforcementPoint.byRuleName(p.ruleName())).contains(p);
            assertThat(OpenDoor.policy().rule(p.ruleName())).hasValueSatisfying(
                    r -> assertThat(((RuleBinding.Constant) r).allowed()).isTrue());
        }
        assertThat(EnforcementPoint.byRuleName("mount_cims")).isEmpty();
    }
}
