package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.CONFCOM_FLAGS;
import static dev.parma.policy.Fixtures.cid;
import static dev.parma.policy.Fixtures.commit;
import static dev.parma.policy.Fixtures.container;
import static dev.parma.policy.Fixtures.create;
import static dev.parma.policy.Fixtures.hash;
import static dev.parma.policy.Fixtures.mountOverlay;
import static dev.parma.policy.engine.Assertions2.allowed;
import static dev.parma.policy.engine.Assertions2.denied;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.parma.policy.generate.PolicyWriter;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExternalProcess;
import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.Policies;
import dev.parma.policy.model.PolicyDecoder;
import dev.parma.policy.model.Semver;

/**
 * §7 scenario 65 beyond the error text: a policy whose framework_version is missing, or ahead of the framework the
 * engine implements, has no container, external-process or fragment candidates (hcsshim's candidate_* rules only
 * hold for a version at or below the framework's). Its layers still mount; nothing runs.
 */
class FrameworkVersionConformanceTest {

    static final String ISS = "did:x509:0:sha256:abc::eku:1.3.6.1.4.1.311.76.59.1.3";
    static final String FEED = "mcr.microsoft.com/aci/aci-cc-infra-fragment";
    static final ExternalProcess LS = new ExternalProcess(List.of("ls", "-l"),
            List.of(new EnvRule.Whole("PATH=/usr/bin:/bin", MatchStrategy.STRING, true)), "/", true);
    final Container x = container("x", hash(1), hash(2)).build();

    /**
     * A confcom-shaped policy with one container, one external process and one fragment; {@code binding} is
     * {@code framework_version} or {@code framework_svn} set to {@code version}, or nothing when empty.
     */
    PolicyEngine engine(String binding, String version) {
        String frameworkVersionLine = binding.isEmpty() ? "" : binding + " := \"" + version + "\"\n";
        String text = PolicyWriter.write(new PolicyWriter.Draft(Semver.parse("0.10.0"), Semver.parse("0.2.3"),
                List.of(new FragmentRef(ISS, FEED, "1", List.of("containers"))), List.of(x), List.of(LS),
                CONFCOM_FLAGS)).replace("framework_version := \"0.2.3\"\n", frameworkVersionLine);
        return PolicyEngine.load(Policies.fromText(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing | '' | '' | framework_version is missing. Current version: 0.3.0",
            "ahead | framework_version | 100.0.0 | framework_version is ahead of the current version: 100.0.0 is "
                    + "greater than 0.3.0",
            "ahead (svn) | framework_svn | 0.4.0 | framework_version is ahead of the current version: 0.4.0 is "
                    + "greater than 0.3.0"})
    void mount_overlay_65_noContainerCandidates_devicesStillMount(String name, String binding, String version,
            String error) {
        PolicyEngine e = engine(binding, version);
        commit(allowed(e.evaluate(new Request.MountDevice("/run/mounts/scsi/m0", hash(1)))));
        commit(allowed(e.evaluate(new Request.MountDevice("/run/mounts/scsi/m1", hash(2)))));
        denied(e.evaluate(new Request.MountOverlay(cid(1), List.of("/run/mounts/scsi/m1", "/run/mounts/scsi/m0"),
                "/run/gcs/c/" + cid(1) + "/rootfs")), error, "no matching containers for overlay");
        denied(e.evaluate(create(x, cid(1))), error);
        assertThat(e.state().matches()).isEmpty();
        assertThat(e.state().started()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing | '' | '' | framework_version is missing",
            "ahead | framework_version | 100.0.0 | framework_version is ahead of the current version"})
    void exec_external_and_load_fragment_65_noCandidates(String name, String binding, String version,
            String error) {
        PolicyEngine e = engine(binding, version);
        denied(e.evaluate(new Request.ExecExternal(LS.command(), List.of("PATH=/usr/bin:/bin"), "/")), error,
                "invalid command");
        denied(e.evaluate(new Request.LoadFragment(ISS, FEED, PolicyDecoder.decodeFragment(
                "package infra\nsvn := \"2\"\nframework_version := \"0.2.3\"\n"))), error,
                "invalid fragment issuer");
    }

    @ParameterizedTest(name = "framework_version {0}")
    @CsvSource({"0.3.0", "0.2.3", "0.1.0"})
    void create_container_65_versionAtOrBelowTheFramework_runs(String version) {
        PolicyEngine e = engine("framework_version", version);
        mountOverlay(e, x, cid(1), 0);
        commit(allowed(e.evaluate(create(x, cid(1)))));
        allowed(e.evaluate(new Request.ExecExternal(LS.command(), List.of("PATH=/usr/bin:/bin"), "/")));
        allowed(e.evaluate(new Request.LoadFragment(ISS, FEED, PolicyDecoder.decodeFragment(
                "package infra\nsvn := \"2\"\nframework_version := \"0.2.3\"\n"))));
    }
}
