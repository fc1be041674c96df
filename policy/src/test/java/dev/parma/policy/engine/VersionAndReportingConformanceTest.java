package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.CONFCOM_FLAGS;
import static dev.parma.policy.Fixtures.cid;
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

import dev.parma.policy.Anchors;
import dev.parma.policy.generate.PolicyWriter;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.Policies;
import dev.parma.policy.rego.Json;
import dev.parma.policy.rego.Value;

/** §7 scenarios 62–69: versions, missing rules, custom results, denial reports. */
class VersionAndReportingConformanceTest {

    static final Request MOUNT = new Request.MountDevice("/run/mounts/scsi/m0", hash(1));

    static PolicyEngine engine(String text) {
        return PolicyEngine.load(Policies.fromText(text));
    }

    @Test
    void any_point_62_policyWithoutApiVersion_invalidPolicy() {
        Decision.Deny d = denied(
                engine("package policy\nmount_device := data.framework.mount_device\n").evaluate(MOUNT),
                "policy does not define api_version");
        assertThat(d.report().policyError()).contains("policy does not define api_version");
        assertThat(d.report().toJson()).contains(PolicyDecision.INVALID_POLICY);
    }

    @Test
    void any_point_63_pointNewerThanPolicy_getsManifestDefault() {
        PolicyEngine e = engine("package policy\napi_version := \"0.0.1\"\nframework_version := \"0.3.0\"\n");
        allowed(e.evaluate(new Request.UnmountDevice("/anything")));
        allowed(e.evaluate(new Request.ShutdownContainer("x")));
        denied(e.evaluate(MOUNT), "policy api_version 0.0.1 predates mount_device");
        denied(e.evaluate(new Request.LoadFragment("i", "f",
                dev.parma.policy.model.PolicyDecoder.decodeFragment("package f\nsvn := \"1\"\n"))));
    }

    @Test
    void create_container_64_ruleMissingFromCurrentPolicy_denied() {
        PolicyEngine e = engine("package policy\napi_version := \"0.10.0\"\nframework_version := \"0.2.3\"\n"
                + "reason := {\"errors\": data.framework.errors}\n");
        denied(e.evaluate(create(container("x", hash(1)).build(), cid(1))),
                "rule for create_container is missing from policy");
    }

    @Test
    void any_point_65_frameworkVersionMissingOrAhead_reportedOnDenials() {
        String body = "mount_device := data.framework.mount_device\nreason := {\"errors\": data.framework.errors}\n";
        denied(engine("package policy\napi_version := \"0.10.0\"\n" + body).evaluate(MOUNT),
                "framework_version is missing. Current version: 0.3.0");
        denied(engine("package policy\napi_version := \"0.10.0\"\nframework_version := \"99.0.0\"\n" + body)
                .evaluate(MOUNT), "framework_version is ahead of the current version: 99.0.0 is greater than 0.3.0");
    }

    static final String CUSTOM = "package policy\napi_version := \"0.10.0\"\nframework_version := \"0.2.3\"\n";

    @Test
    void create_container_66_envListOfWrongType_invalidPolicy() {
        PolicyEngine e = engine(CUSTOM + "create_container := {\"allowed\": true, \"env_list\": {\"an_object\": 1}}\n");
        denied(e.evaluate(create(container("x", hash(1)).build(), cid(1))),
                "policy returned incorrect type for 'env_list', expected []interface{}");
    }

    @Test
    void create_container_67_envListOfUnrequestedNames_allowedButNoneKept() {
        PolicyEngine e = engine(CUSTOM + "create_container := {\"allowed\": true, \"env_list\": [\"EVIL=1\"]}\n");
        Decision.Allow a = allowed(e.evaluate(create(container("x", hash(1)).build(), cid(1))));
        assertThat(a.effectiveEnv(List.of("PATH=/usr/bin:/bin", "TERM=xterm"))).isEmpty();
    }

    @Test
    void any_point_68_hugeDenial_truncatedInOrderUnderLimit() {
        Container x = container("x", hash(1)).build();
        String text = PolicyWriter.write(new PolicyWriter.Draft(dev.parma.policy.model.Semver.parse("0.10.0"),
                dev.parma.policy.model.Semver.parse("0.2.3"), List.of(), List.of(x), List.of(), CONFCOM_FLAGS))
                .replace("reason := {\"errors\": data.framework.errors}", "reason := data.framework.reason");
        PolicyEngine e = engine(text);
        mountOverlay(e, x, cid(1), 0);
        List<String> env = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            env.add("VAR_" + i + "=secret-value-" + i);
        }
        Request.CreateContainer r = create(x, cid(1));
        Decision.Deny d = denied(e.evaluate(r.withProcess(r.process().withEnvList(env))), "invalid env list");
        assertThat(d.report().reason().orElseThrow()).isInstanceOf(Value.Obj.class);
        assertThat(((Value.Obj) d.report().reason().get()).members()).containsKey("error_objects");
        String msg = d.errorMessage();
        assertThat(msg).hasSizeLessThanOrEqualTo(PolicyDecision.DEFAULT_MAX_LENGTH)
                .startsWith("create_container not allowed by policy: policyDecision< ").endsWith(" >policyDecision");
        Value.Obj decoded = PolicyDecision.extract(msg).orElseThrow();
        assertThat(Json.compact(decoded.get("truncated"))).isIn("[\"reason.error_objects\",\"input\"]",
                "[\"reason.error_objects\",\"input\",\"reason\"]");
        assertThat(Json.compact(decoded)).doesNotContain("secret-value");
        assertThat(Json.compact(decoded.get("decision"))).isEqualTo("\"deny\"");
        // a tiny limit drops everything droppable, in order
        String tiny = d.report().toErrorMessage(EnforcementPoint.CREATE_CONTAINER, 10);
        assertThat(Json.compact(PolicyDecision.extract(tiny).orElseThrow().get("truncated")))
                .isEqualTo("[\"reason.error_objects\",\"input\",\"reason\"]");
    }

    /** hcsshim's own sample policies spell out framework.reason: errors and error objects, in either order. */
    @Test
    void create_container_68_reasonWithErrorsAndErrorObjects_loadsAndListsCandidates() {
        Container x = container("x", hash(1)).build();
        String text = PolicyWriter.write(new PolicyWriter.Draft(dev.parma.policy.model.Semver.parse("0.10.0"),
                dev.parma.policy.model.Semver.parse("0.2.3"), List.of(), List.of(x), List.of(), CONFCOM_FLAGS));
        for (String reason : List.of(
                "reason := {\n    \"errors\": data.framework.errors,\n    \"error_objects\": data.framework.error_objects,\n}",
                "reason := {\"error_objects\": data.framework.error_objects, \"errors\": data.framework.errors}")) {
            PolicyEngine e = engine(text.replace("reason := {\"errors\": data.framework.errors}", reason));
            mountOverlay(e, x, cid(1), 0);
            Request.CreateContainer r = create(x, cid(1));
            Decision.Deny d = denied(e.evaluate(r.withProcess(r.process().withEnvList(List.of("EVIL=1")))),
                    "invalid env list: EVIL");
            Value.Obj reported = (Value.Obj) d.report().reason().orElseThrow();
            assertThat(reported.members().keySet()).as(reason).containsExactlyInAnyOrder("errors", "error_objects");
            assertThat(Json.compact(reported.get("error_objects"))).isEqualTo("[\"x\"]");
        }
    }

    @Test
    void mount_device_69_noReasonRule_genericReason() {
        PolicyEngine e = engine("package policy\napi_svn := \"0.10.0\"\nmount_device := {\"allowed\": false}\n");
        Decision.Deny d = denied(e.evaluate(MOUNT), "policy binds mount_device to a result with allowed false");
        assertThat(d.report().reason()).contains(new Value.Str(PolicyDecision.NO_REASON));
        Value.Obj decoded = PolicyDecision.extract(d.errorMessage()).orElseThrow();
        assertThat(decoded.get("reason")).isEqualTo(new Value.Str(PolicyDecision.NO_REASON));
    }

    @Test
    void allowAllAnchors_allowEveryApi0100Point_andStdio() {
        for (String anchor : List.of(Anchors.ALLOW_ALL_1, Anchors.ALLOW_ALL_2)) {
            PolicyEngine e = PolicyEngine.load(Anchors.policy(anchor));
            Decision.Allow a = allowed(e.evaluate(create(container("x", hash(1)).build(), cid(1))));
            assertThat(a.allowStdioAccess()).isTrue();
            assertThat(a.envList()).isEmpty();
            allowed(e.evaluate(MOUNT));
            allowed(e.evaluate(new Request.ExecExternal(List.of("sh"), List.of(), "/")));
            allowed(e.evaluate(new Request.RuntimeLogging()));
            // points newer than api 0.10.0: framework rule or manifest default, never a blanket allow
            denied(e.evaluate(new Request.MountBlockdev("/b")));
        }
    }

    @Test
    void openDoor_allowsEveryPoint_legacyJsonAllowAllToo() {
        PolicyEngine e = PolicyEngine.load(OpenDoor.policy());
        assertThat(OpenDoor.policy().rules()).hasSize(EnforcementPoint.values().length);
        allowed(e.evaluate(MOUNT));
        allowed(e.evaluate(new Request.MountBlockdev("/b")));
        PolicyEngine legacy = PolicyEngine.load(
                Policies.fromText("{\"allow_all\":true,\"containers\":{\"length\":0,\"elements\":null}}"));
        allowed(legacy.evaluate(MOUNT));
        assertThat(policy(CONFCOM_FLAGS, container("x", hash(1)).build()).rules()).hasSize(17);
    }
}
