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
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.Policies;

/** §7 scenarios 55–58: plan9 mounts, diagnostics flags, scratch. */
class Plan9ScratchFlagsConformanceTest {

    static final String ID = cid(1);
    static final MountConstraint SECRETS = new MountConstraint("/secrets", "plan9://", "bind",
            List.of("rbind", "rshared", "ro"));
    final Container x = container("x", hash(1)).mount(SECRETS).build();
    final PolicyEngine engine = PolicyEngine.load(policy(CONFCOM_FLAGS, x));

    @Test
    void plan9_mount_55_targetUnderContainerMounts_onlyExactShape() {
        mountOverlay(engine, x, ID, 0);
        String good = "/run/gcs/c/" + ID + "/mounts/m3";
        denied(engine.evaluate(new Request.Plan9Mount("/run/gcs/c/" + cid(9) + "/mounts/m3")));
        denied(engine.evaluate(new Request.Plan9Mount(good + "/../../bin")));
        denied(engine.evaluate(new Request.Plan9Mount("/tmp/random")));
        commit(engine.evaluate(new Request.Plan9Mount(good)));
        denied(engine.evaluate(new Request.Plan9Mount(good)), "device already mounted at path");
        commit(engine.evaluate(new Request.Plan9Unmount(good)));
        denied(engine.evaluate(new Request.Plan9Unmount(good)), "no device at path to unmount");
    }

    @Test
    void plan9_mount_56_plan9SourceMustBeRegisteredForThisContainer() {
        mountOverlay(engine, x, ID, 0);
        String p = "/run/gcs/c/" + ID + "/mounts/m0";
        commit(engine.evaluate(new Request.Plan9Mount(p)));
        Request.CreateContainer r = create(x, ID);
        List<Request.Mount> mounts = new ArrayList<>(r.mounts());
        mounts.add(new Request.Mount("/secrets", p, "bind", List.of("rbind", "rshared", "ro")));
        allowed(engine.evaluate(r.withMounts(mounts)));

        // registered for another container ID: denied
        String id2 = cid(2);
        commit(engine.evaluate(new Request.MountDevice("/run/mounts/scsi/m7", hash(1))));
        commit(engine.evaluate(new Request.MountOverlay(id2, List.of("/run/mounts/scsi/m7"), "/o2")));
        String other = "/run/gcs/c/" + id2 + "/mounts/m1";
        commit(engine.evaluate(new Request.Plan9Mount(other)));
        List<Request.Mount> wrong = new ArrayList<>(r.mounts());
        wrong.add(new Request.Mount("/secrets", other, "bind", List.of("rbind", "rshared", "ro")));
        denied(engine.evaluate(r.withMounts(wrong)), "invalid mount list: /secrets");
    }

    @Test
    void get_properties_dump_stacks_runtime_logging_57_followFlags() {
        PolicyEngine off = PolicyEngine.load(policy(Flags.NONE, x));
        PolicyEngine on = PolicyEngine.load(policy(Flags.ALL, x));
        for (Request r : List.of(new Request.GetProperties(), new Request.DumpStacks(), new Request.RuntimeLogging())) {
            assertThat(off.evaluate(r).allowed()).as(r.point().ruleName()).isFalse();
            assertThat(on.evaluate(r).allowed()).as(r.point().ruleName()).isTrue();
        }
    }

    @Test
    void host_network_57_followsFlag_olderPoliciesDenied() {
        String head = "package policy\napi_version := \"0.10.0\"\nframework_version := \"0.3.0\"\n"
                + "reason := {\"errors\": data.framework.errors}\n";
        String bound = head + "host_network := data.framework.host_network\n";
        denied(PolicyEngine.load(Policies.fromText(bound)).evaluate(new Request.HostNetwork()),
                "host networking is not allowed");
        denied(PolicyEngine.load(Policies.fromText(bound + "allow_host_network := false\n"))
                .evaluate(new Request.HostNetwork()), "host networking is not allowed");
        allowed(PolicyEngine.load(Policies.fromText(bound + "allow_host_network := true\n"))
                .evaluate(new Request.HostNetwork()));
        // a policy that predates API 0.12.0 and does not bind it gets api.rego's default: denied, flag or not
        denied(PolicyEngine.load(Policies.fromText(head + "allow_host_network := true\n"))
                .evaluate(new Request.HostNetwork()), "predates host_network");
        denied(engine.evaluate(new Request.HostNetwork()), "predates host_network");
    }

    @Test
    void scratch_mount_58_encryptionAndDuplicates() {
        denied(engine.evaluate(new Request.ScratchMount("/s", false)), "unencrypted scratch not allowed");
        commit(engine.evaluate(new Request.ScratchMount("/s", true)));
        assertThat(engine.state().scratchMounts()).containsEntry("/s", true);
        denied(engine.evaluate(new Request.ScratchMount("/s", true)), "scratch already mounted at path");
        denied(engine.evaluate(new Request.ScratchUnmount("/nope")), "no scratch at path to unmount");
        commit(engine.evaluate(new Request.ScratchUnmount("/s")));
    }
}
