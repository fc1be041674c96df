package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.CONFCOM_FLAGS;
import static dev.parma.policy.Fixtures.cid;
import static dev.parma.policy.Fixtures.commit;
import static dev.parma.policy.Fixtures.container;
import static dev.parma.policy.Fixtures.hash;
import static dev.parma.policy.Fixtures.policy;
import static dev.parma.policy.engine.Assertions2.allowed;
import static dev.parma.policy.engine.Assertions2.denied;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parma.policy.generate.PolicyWriter;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.Fragment;
import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.PolicyDecoder;
import dev.parma.policy.rego.Json;
import dev.parma.policy.rego.Value;

/** §7 scenarios 59–61: load_fragment. */
class FragmentConformanceTest {

    static final String ISS = "did:x509:0:sha256:abc::eku:1.3.6.1.4.1.311.76.59.1.3";
    static final String FEED = "mcr.microsoft.com/aci/aci-cc-infra-fragment";
    final Container own = container("own", hash(1)).build();
    final Container sidecar = container("sidecar", hash(42)).build();

    String fragmentText(String svn, String frameworkVersion) {
        return "package infra\n\nsvn := " + svn + "\nframework_version := \"" + frameworkVersion
                + "\"\n\ncontainers := "
                + Json.compact(new Value.Arr(List.of(PolicyWriter.container(sidecar)))) + "\n";
    }

    PolicyEngine engine(List<String> includes, String minimumSvn) {
        return PolicyEngine.load(policy(CONFCOM_FLAGS, List.of(new FragmentRef(ISS, FEED, minimumSvn, includes)),
                List.of(own)));
    }

    @Test
    void load_fragment_59_issuerFeedAndSvnChecks() {
        PolicyEngine e = engine(List.of("containers", "fragments"), "1");
        Fragment ok = PolicyDecoder.decodeFragment(fragmentText("\"2\"", "0.2.3"));
        denied(e.evaluate(new Request.LoadFragment("did:x509:0:sha256:other::eku:1", FEED, ok)),
                "invalid fragment issuer");
        denied(e.evaluate(new Request.LoadFragment(ISS, "other/feed", ok)), "invalid fragment feed");
        denied(e.evaluate(new Request.LoadFragment(ISS, FEED, PolicyDecoder.decodeFragment(fragmentText("\"0\"",
                "0.2.3")))), "fragment svn is below the specified minimum");
        denied(e.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", hash(42))), "deviceHash not found");
        Decision.Allow a = commit(e.evaluate(new Request.LoadFragment(ISS, FEED, ok)));
        assertThat(a.addModule()).isFalse();
        commit(e.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", hash(42))));
        commit(e.evaluate(new Request.MountOverlay(cid(1), List.of("/run/mounts/scsi/m0"), "/o")));
        assertThat(e.state().matches().get(cid(1))).containsExactly(sidecar);
    }

    @Test
    void load_fragment_60_semverMinimumWithNumericSvn_deniedDifferentTypes() {
        PolicyEngine e = engine(List.of("containers"), "1.0.0");
        denied(e.evaluate(new Request.LoadFragment(ISS, FEED, PolicyDecoder.decodeFragment(fragmentText("\"2\"",
                "0.2.3")))), "fragment svn and the specified minimum are different types");
    }

    @Test
    void load_fragment_61_containersNotIncluded_overlayDenied() {
        PolicyEngine e = engine(List.of("fragments"), "1");
        commit(e.evaluate(new Request.LoadFragment(ISS, FEED, PolicyDecoder.decodeFragment(fragmentText("2",
                "0.2.3")))));
        denied(e.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", hash(42))), "deviceHash not found");
    }

    @Test
    void load_fragment_frameworkVersionAhead_denied() {
        PolicyEngine e = engine(List.of("containers"), "1");
        denied(e.evaluate(new Request.LoadFragment(ISS, FEED, PolicyDecoder.decodeFragment(fragmentText("\"2\"",
                "9.0.0")))), "fragment framework_version is ahead of the current version");
    }
}
