package dev.parma.policy.generate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.LinuxDefaults;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.UserRule;
import dev.parma.policy.spec.VolumeMount;

/**
 * Everything the platform adds to a tenant's containers, in one place and versioned: injected environment variables,
 * the resolv.conf mount, the volume source table, default signals and the pause container. Values follow confcom
 * (azext_confcom config.py / internal_config.json) so generated policies match what ACI's guest sees. Change any of
 * these and bump {@link #VERSION}: every policy generated afterwards has a different HOST_DATA.
 */
public final class PlatformContract {

    /** The version of this contract. */
    public static final String VERSION = "1";

    private PlatformContract() {
    }

    /** Env rules added to every user container (config openGCS, fabric, managedIdentity, enableRestart). */
    public static final List<EnvRule> INJECTED_ENV_RULES = List.of(
            new EnvRule.Whole("TERM=xterm", MatchStrategy.STRING, false),
            new EnvRule.Whole("(?i)(FABRIC)_.+=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("HOSTNAME=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("T(E)?MP=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("FabricPackageFileName=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("HostedServiceName=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("IDENTITY_API_VERSION=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("IDENTITY_HEADER=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("IDENTITY_SERVER_THUMBPRINT=.+", MatchStrategy.RE2, false),
            new EnvRule.Whole("azurecontainerinstance_restarted_by=.+", MatchStrategy.RE2, false));

    /** Concrete values the platform sets at run time (used by pre-flight to build the request the guest sees). */
    public static final List<String> INJECTED_ENV_VALUES = List.of("TERM=xterm");

    /** Sandbox source patterns per volume kind (config mount.source_table). */
    public static final Map<VolumeMount.VolumeKind, String> VOLUME_SOURCES = Map.of(
            VolumeMount.VolumeKind.AZURE_FILE, "sandbox:///tmp/atlas/azureFileVolume/.+",
            VolumeMount.VolumeKind.SECRET, "sandbox:///tmp/atlas/secretsVolume/.+",
            VolumeMount.VolumeKind.EMPTY_DIR, "sandbox:///tmp/atlas/emptydir/.+",
            VolumeMount.VolumeKind.GIT_REPO, "sandbox:///tmp/atlas/gitRepoVolume/.+");

    /** Every user container gets the platform's resolv.conf. */
    public static final MountConstraint RESOLV_CONF = new MountConstraint("/etc/resolv.conf",
            "sandbox:///tmp/atlas/resolvconf/.+", "bind", List.of("rbind", "rshared", "rw"));

    public static final List<Integer> DEFAULT_SIGNALS = List.of(9, 15);

    /** Shells allowed in debug mode. */
    public static final List<List<String>> DEBUG_EXEC = List.of(List.of("/bin/sh"), List.of("/bin/bash"));

    public static final String PAUSE_LAYER = "16b514057a06ad665f92c02863aca074fd5976c755d26bff16365299169e8415";
    public static final String PAUSE_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The pause container appended to every group. */
    public static Container pauseContainer(List<Integer> signals) {
        return new Container(Optional.of("pause-container"), Optional.empty(), List.of(PAUSE_LAYER),
                Optional.of(List.of("/pause")),
                List.of(new EnvRule.Whole(PAUSE_PATH, MatchStrategy.STRING, true),
                        new EnvRule.Whole("TERM=xterm", MatchStrategy.STRING, false)),
                "/", List.of(), List.of(), signals, false, true, false, UserRule.DEFAULT,
                Optional.of(LinuxDefaults.UNPRIVILEGED), "");
    }

    /** ACI's infrastructure fragment (confcom default_rego_fragments), minimum SVN as in current samples. */
    public static final FragmentRef INFRA_FRAGMENT = new FragmentRef(
            "did:x509:0:sha256:I__iuL25oXEVFdTP_aBLx_eT1RPHbCQ_ECBQfYZpt9s::eku:1.3.6.1.4.1.311.76.59.1.3",
            "mcr.microsoft.com/aci/aci-cc-infra-fragment", "4", List.of("containers", "fragments"));
}
