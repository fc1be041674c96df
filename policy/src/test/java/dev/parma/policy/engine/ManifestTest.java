package dev.parma.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.parma.policy.model.Policies;
import dev.parma.policy.model.PolicyDecoder;
import dev.parma.policy.model.RuleBinding;
import dev.parma.policy.rego.PolicySyntaxException;

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
    }

    /**
     * hcsshim's api.rego at API 0.12.0 (microsoft/hcsshim pkg/securitypolicy/api.rego at 7c9ff7f48): each point
     * with the version that introduced it and what an older policy gets ({@code use_framework}, or the default
     * result's "allowed").
     */
    static final Map<String, String> API_0_12_0 = Map.ofEntries(Map.entry("mount_device", "0.1.0 DENY"),
            Map.entry("rw_mount_device", "0.11.0 USE_FRAMEWORK"), Map.entry("mount_blockdev", "0.11.1 DENY"),
            Map.entry("mount_overlay", "0.1.0 DENY"), Map.entry("mount_cims", "0.11.0 DENY"),
            Map.entry("registry_changes", "0.10.0 DENY"), Map.entry("create_container", "0.1.0 DENY"),
            Map.entry("unmount_device", "0.2.0 ALLOW"), Map.entry("rw_unmount_device", "0.11.0 USE_FRAMEWORK"),
            Map.entry("unmount_blockdev", "0.11.1 DENY"), Map.entry("unmount_overlay", "0.6.0 ALLOW"),
            Map.entry("exec_in_container", "0.2.0 ALLOW"), Map.entry("exec_external", "0.3.0 ALLOW"),
            Map.entry("shutdown_container", "0.4.0 ALLOW"), Map.entry("signal_container_process", "0.5.0 ALLOW"),
            Map.entry("plan9_mount", "0.6.0 ALLOW"), Map.entry("plan9_unmount", "0.6.0 ALLOW"),
            Map.entry("get_properties", "0.7.0 ALLOW"), Map.entry("dump_stacks", "0.7.0 ALLOW"),
            Map.entry("runtime_logging", "0.8.0 ALLOW"), Map.entry("load_fragment", "0.9.0 DENY"),
            Map.entry("scratch_mount", "0.10.0 ALLOW"), Map.entry("scratch_unmount", "0.10.0 ALLOW"),
            Map.entry("log_provider", "0.11.0 ALLOW"), Map.entry("load_transparency_trust_list", "0.12.0 DENY"),
            Map.entry("host_network", "0.12.0 DENY"));
    /** Points only a Windows guest calls (container images as CIMs, registry, ETW log providers). */
    static final Set<String> WINDOWS_ONLY = Set.of("mount_cims", "registry_changes", "log_provider");

    @Test
    void everyApi0120Point_isInTheManifestWithItsVersionAndDefault_orRefusedAtLoadIfWindowsOnly() {
        assertThat(EnforcementPoint.ENGINE_API_VERSION.toString()).isEqualTo("0.12.0");
        for (Map.Entry<String, String> p : API_0_12_0.entrySet()) {
            String name = p.getKey();
            if (WINDOWS_ONLY.contains(name)) {
                assertThat(EnforcementPoint.byRuleName(name)).as(name).isEmpty();
                for (String binding : List.of("data.framework." + name, "{\"allowed\": true}")) {
                    assertThatThrownBy(() -> Policies.fromText("package policy\napi_version := \"0.12.0\"\n"
                            + "framework_version := \"0.3.0\"\n" + name + " := " + binding + "\n"))
                            .isInstanceOf(PolicySyntaxException.class).hasMessageContaining("line 4, column 1")
                            .hasMessageContaining(name).hasMessageContaining("Windows");
                }
                continue;
            }
            EnforcementPoint point = EnforcementPoint.byRuleName(name).orElseThrow(() -> new AssertionError(
                    name + " is not in the manifest"));
            assertThat(point.introduced() + " " + point.defaults()).as(name).isEqualTo(p.getValue());
        }
        assertThat(EnforcementPoint.values()).hasSize(API_0_12_0.size() - WINDOWS_ONLY.size());
        assertThat(PolicyDecoder.KNOWN_RULES).isEqualTo(API_0_12_0.keySet());
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
