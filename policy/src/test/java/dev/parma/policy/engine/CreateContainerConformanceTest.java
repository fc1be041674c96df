package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.CONFCOM_FLAGS;
import static dev.parma.policy.Fixtures.SANDBOX_DIR;
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

import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.IdName;
import dev.parma.policy.model.LinuxDefaults;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.UserRule;
import dev.parma.policy.rego.Json;

/** §7 scenarios 21–46: create_container field by field. */
class CreateContainerConformanceTest {

    static final Flags DROP_ENV = new Flags(true, false, false, true, false, false, false);
    static final Flags DROP_CAPS = new Flags(true, false, false, false, false, true, false);
    static final String ID = cid(1);

    /** Loads a one-container policy, mounts its overlay for {@link #ID}. */
    static PolicyEngine ready(Flags flags, Container... cs) {
        PolicyEngine e = PolicyEngine.load(policy(flags, cs));
        mountOverlay(e, cs[0], ID, 0);
        return e;
    }

    static Request.CreateContainer withEnv(Request.CreateContainer r, String... env) {
        return r.withProcess(r.process().withEnvList(List.of(env)));
    }

    final Container x = container("x", hash(1)).build();

    @Test
    void create_container_21_exactRequest_allowedWithResultsAndStarted() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Decision.Allow a = allowed(e.evaluate(create(x, ID)));
        assertThat(a.envList()).contains(create(x, ID).process().envList());
        assertThat(a.capsList()).contains(LinuxDefaults.UNPRIVILEGED);
        assertThat(a.allowStdioAccess()).isTrue();
        a.commit();
        assertThat(e.state().started()).containsKey(ID);
    }

    @Test
    void create_container_22_noOverlayForId_denied() {
        PolicyEngine e = PolicyEngine.load(policy(CONFCOM_FLAGS, x));
        denied(e.evaluate(create(x, ID)));
    }

    @Test
    void create_container_23_alreadyStarted_denied() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        commit(e.evaluate(create(x, ID)));
        denied(e.evaluate(create(x, ID)), "container already started");
    }

    @Test
    void create_container_24_argvDiffersInElementOrLength_deniedInvalidCommand() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Request.CreateContainer r = create(x, ID);
        denied(e.evaluate(r.withProcess(r.process().withArgList(List.of("/bin/app", "--other")))), "invalid command");
        denied(e.evaluate(r.withProcess(r.process().withArgList(List.of("/bin/app")))), "invalid command");
        Container nullCmd = container("n", hash(1)).nullCommand().build();
        PolicyEngine e2 = ready(CONFCOM_FLAGS, nullCmd);
        denied(e2.evaluate(create(nullCmd, ID).withProcess(create(nullCmd, ID).process().withArgList(List.of()))),
                "invalid command");
    }

    @Test
    void create_container_25_uncoveredEnvWithoutDropping_deniedNamesOnlyAndRedacted() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Request.CreateContainer r = create(x, ID);
        List<String> env = new ArrayList<>(r.process().envList());
        env.add("FOO=BAR");
        Decision.Deny d = denied(e.evaluate(r.withProcess(r.process().withEnvList(env))), "invalid env list: FOO");
        String json = d.report().toJson();
        assertThat(json).contains("FOO=<<redacted>>").doesNotContain("BAR");
        assertThat(d.errors()).noneMatch(s -> s.contains("BAR"));
    }

    @Test
    void create_container_26_re2RuleIsAnchored() {
        Container c = container("c", hash(1)).env(new EnvRule.Whole("A=.+", MatchStrategy.RE2, false)).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        Request.CreateContainer r = create(c, ID);
        allowed(e.evaluate(withEnv(r, "A=x")));
        denied(e.evaluate(withEnv(r, "XA=x")), "invalid env list: XA");
        denied(e.evaluate(withEnv(r, "A=")), "invalid env list: A");
    }

    @Test
    void create_container_27_requiredRuleUnmatched_denied() {
        Container c = container("c", hash(1)).addEnv(new EnvRule.Whole("NEED=1", MatchStrategy.STRING, true)).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        Request.CreateContainer r = create(c, ID);
        allowed(e.evaluate(r));
        denied(e.evaluate(withEnv(r, "TERM=xterm")), "missing required environment variable");
    }

    @Test
    void create_container_28_droppingExtras_allowedEnvListExcludesThem() {
        PolicyEngine e = ready(DROP_ENV, x);
        Request.CreateContainer r = create(x, ID);
        List<String> env = new ArrayList<>(r.process().envList());
        env.add("RANDOM_1=zz");
        env.add("IDENTITY_ENDPOINT=http://169.254.169.254");
        Decision.Allow a = allowed(e.evaluate(withEnv(r, env.toArray(new String[0]))));
        assertThat(a.envList().orElseThrow()).containsExactlyElementsOf(r.process().envList());
        assertThat(a.effectiveEnv(env)).doesNotContain("RANDOM_1=zz");
    }

    @Test
    void create_container_29_droppingWithDifferingLargestSubsets_denied() {
        Container a = container("a", hash(1)).env(new EnvRule.Whole("A=1", MatchStrategy.STRING, false)).build();
        Container b = container("b", hash(1)).env(new EnvRule.Whole("B=1", MatchStrategy.STRING, false)).build();
        PolicyEngine e = ready(DROP_ENV, a, b);
        denied(e.evaluate(withEnv(create(a, ID), "A=1", "B=1")));
    }

    @Test
    void create_container_30_workingDirDiffers_denied() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Request.CreateContainer r = create(x, ID);
        denied(e.evaluate(r.withProcess(r.process().withWorkingDir("/tmp"))), "invalid working directory");
    }

    static final MountConstraint EMPTYDIR = new MountConstraint("/data", "sandbox:///tmp/atlas/emptydir/.+", "bind",
            List.of("rbind", "rshared", "rw"));

    @Test
    void create_container_31_sandboxMountSource_allowed() {
        Container c = container("c", hash(1)).mount(EMPTYDIR).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        Request.CreateContainer r = create(c, ID);
        assertThat(r.mounts())
                .anySatisfy(m -> assertThat(m.source()).isEqualTo(SANDBOX_DIR + "/tmp/atlas/emptydir/v1"));
        allowed(e.evaluate(r));
    }

    @Test
    void create_container_32_badSourceDestinationTypeOrOptions_deniedInvalidMountList() {
        Container c = container("c", hash(1)).mount(EMPTYDIR).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        Request.CreateContainer r = create(c, ID);
        String good = SANDBOX_DIR + "/tmp/atlas/emptydir/v1";
        List<Request.Mount> bad = List.of(
                new Request.Mount("/data", "/etc/shadow", "bind", List.of("rbind", "rshared", "rw")),
                new Request.Mount("/data", SANDBOX_DIR + "/tmp/atlas/emptydir/", "bind",
                        List.of("rbind", "rshared", "rw")),
                new Request.Mount("/data", "x" + good, "bind", List.of("rbind", "rshared", "rw")),
                new Request.Mount("/data2", good, "bind", List.of("rbind", "rshared", "rw")),
                new Request.Mount("/data", good, "tmpfs", List.of("rbind", "rshared", "rw")),
                new Request.Mount("/data", good, "bind", List.of("rbind", "rshared", "ro")),
                new Request.Mount("/data", good, "bind", List.of("rbind", "rshared", "rw", "rw")));
        for (Request.Mount m : bad) {
            denied(e.evaluate(r.withMounts(List.of(m))), "invalid mount list: " + m.destination());
        }
    }

    @Test
    void create_container_33_criDefaultAndNetworkingMounts_allowed() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        List<Request.Mount> mounts = new ArrayList<>();
        for (MountConstraint k : LinuxDefaults.DEFAULT_MOUNTS) {
            mounts.add(new Request.Mount(k.destination(), k.source(), k.type(), k.options()));
        }
        String root = "/run/gcs/c/" + "a".repeat(64);
        for (String f : List.of("hostname", "hosts", "resolv.conf")) {
            mounts.add(new Request.Mount("/etc/" + f, root + "/" + f, "bind", List.of("bind", "rw")));
        }
        allowed(e.evaluate(create(x, ID).withMounts(mounts)));
    }

    @Test
    void create_container_34_privilegedMountWithoutElevation_denied() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Request.Mount cgroupRw = new Request.Mount("/sys/fs/cgroup", "cgroup", "cgroup",
                List.of("nosuid", "noexec", "nodev", "relatime", "rw"));
        denied(e.evaluate(create(x, ID).withMounts(List.of(cgroupRw))), "invalid mount list: /sys/fs/cgroup");
    }

    @Test
    void create_container_35_privilegedRequiresAllowElevated() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        denied(e.evaluate(create(x, ID).withPrivileged(true)), "privileged escalation not allowed");
        Container el = container("el", hash(1)).allowElevated(true).capabilities(LinuxDefaults.PRIVILEGED).build();
        PolicyEngine e2 = ready(CONFCOM_FLAGS, el);
        allowed(e2.evaluate(create(el, ID).withPrivileged(true)));
        Request.CreateContainer unpriv = create(el, ID).withPrivileged(false);
        allowed(e2.evaluate(unpriv));
    }

    @Test
    void create_container_36_noNewPrivileges() {
        Container c = container("c", hash(1)).noNewPrivileges(true).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        Request.CreateContainer r = create(c, ID);
        denied(e.evaluate(r.withProcess(r.process().withNoNewPrivileges(false))), "invalid noNewPrivileges");
        allowed(e.evaluate(r.withProcess(r.process().withNoNewPrivileges(true))));
        PolicyEngine lax = ready(CONFCOM_FLAGS, x);
        allowed(lax.evaluate(create(x, ID).withProcess(create(x, ID).process().withNoNewPrivileges(true))));
        allowed(lax.evaluate(create(x, ID).withProcess(create(x, ID).process().withNoNewPrivileges(false))));
    }

    static Request.CreateContainer asUser(Request.CreateContainer r, String id, String name) {
        return r.withProcess(r.process().withUser(new Request.IdNameValue(id, name)));
    }

    @Test
    void create_container_37_userStrategies() {
        UserRule byId = new UserRule(new IdName("1234", IdName.Strategy.ID), List.of(IdName.ANY), "0022");
        Container c = container("c", hash(1)).user(byId).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        Request.CreateContainer r = create(c, ID);
        allowed(e.evaluate(asUser(r, "1234", "whoever")));
        denied(e.evaluate(asUser(r, "1000", "whoever")), "invalid user");

        UserRule byName = new UserRule(new IdName("app", IdName.Strategy.NAME), List.of(IdName.ANY), "0022");
        Container n = container("n", hash(1)).user(byName).build();
        PolicyEngine en = ready(CONFCOM_FLAGS, n);
        allowed(en.evaluate(asUser(create(n, ID), "5", "app")));
        denied(en.evaluate(asUser(create(n, ID), "5", "apps")), "invalid user");

        UserRule byRe2 = new UserRule(new IdName("app[0-9]", IdName.Strategy.RE2), List.of(IdName.ANY), "0022");
        Container g = container("g", hash(1)).user(byRe2).build();
        PolicyEngine eg = ready(CONFCOM_FLAGS, g);
        allowed(eg.evaluate(asUser(create(g, ID), "5", "app7")));
        denied(eg.evaluate(asUser(create(g, ID), "5", "xapp7")), "invalid user");
        denied(eg.evaluate(asUser(create(g, ID), "5", "app77")), "invalid user");

        PolicyEngine any = ready(CONFCOM_FLAGS, x);
        allowed(any.evaluate(asUser(create(x, ID), "4242", "nobody")));
    }

    @Test
    void create_container_38_groupMustMatchARule() {
        UserRule wheel = new UserRule(IdName.ANY, List.of(new IdName("wheel", IdName.Strategy.NAME)), "0022");
        Container c = container("c", hash(1)).user(wheel).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        Request.CreateContainer r = create(c, ID);
        allowed(e.evaluate(r.withProcess(r.process().withGroups(List.of(new Request.IdNameValue("10", "wheel"))))));
        denied(e.evaluate(r.withProcess(r.process().withGroups(
                List.of(new Request.IdNameValue("10", "wheel"), new Request.IdNameValue("0", "root"))))),
                "invalid user");
    }

    @Test
    void create_container_39_umaskDiffers_deniedInvalidUser() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Request.CreateContainer r = create(x, ID);
        denied(e.evaluate(r.withProcess(r.process().withUmask("0077"))), "invalid user");
    }

    static Request.CreateContainer withCaps(Request.CreateContainer r, CapabilitySets c) {
        return r.withProcess(r.process().withCapabilities(c));
    }

    static CapabilitySets plus(CapabilitySets s, String cap) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> l : s.all()) {
            List<String> n = new ArrayList<>(l);
            n.add(cap);
            out.add(n);
        }
        return CapabilitySets.of(out);
    }

    static CapabilitySets minusFirstBounding(CapabilitySets s) {
        return new CapabilitySets(s.bounding().subList(1, s.bounding().size()), s.effective(), s.inheritable(),
                s.permitted(), s.ambient());
    }

    @Test
    void create_container_40_subsetOrSupersetWithoutDropping_denied() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        denied(e.evaluate(withCaps(create(x, ID), plus(LinuxDefaults.UNPRIVILEGED, "CAP_SYS_ADMIN"))),
                "capabilities don't match");
        denied(e.evaluate(withCaps(create(x, ID), minusFirstBounding(LinuxDefaults.UNPRIVILEGED))),
                "capabilities don't match");
    }

    @Test
    void create_container_41_supersetWithDropping_allowedCapsListIsPolicySets() {
        PolicyEngine e = ready(DROP_CAPS, x);
        Decision.Allow a = allowed(
                e.evaluate(withCaps(create(x, ID), plus(LinuxDefaults.UNPRIVILEGED, "CAP_SYS_ADMIN"))));
        assertThat(ContainerChecks.capabilitiesEqual(a.capsList().orElseThrow(), LinuxDefaults.UNPRIVILEGED)).isTrue();
    }

    @Test
    void create_container_42_missingCapWithDropping_denied() {
        PolicyEngine e = ready(DROP_CAPS, x);
        denied(e.evaluate(withCaps(create(x, ID), minusFirstBounding(LinuxDefaults.UNPRIVILEGED))),
                "capabilities don't match");
    }

    @Test
    void create_container_43_nullCapabilitiesUseDefaults() {
        Container c = container("c", hash(1)).capabilities(null).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, c);
        allowed(e.evaluate(withCaps(create(c, ID), LinuxDefaults.UNPRIVILEGED)));
        denied(e.evaluate(withCaps(create(c, ID), LinuxDefaults.PRIVILEGED)), "capabilities don't match");
        Container el = container("el", hash(1)).capabilities(null).allowElevated(true).build();
        PolicyEngine e2 = ready(CONFCOM_FLAGS, el);
        allowed(e2.evaluate(withCaps(create(el, ID), LinuxDefaults.PRIVILEGED).withPrivileged(true)));
    }

    @Test
    void create_container_44_seccompMismatch_denied() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        denied(e.evaluate(create(x, ID).withSeccomp(hash(5))), "invalid seccomp");
    }

    @Test
    void create_container_45_deviceNodes_denied() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        denied(e.evaluate(create(x, ID).withDevices(List.of("/dev/sda"))), "devices not supported");
    }

    @Test
    void create_container_46_candidatesDifferOnlyInStdio_denied() {
        Container a = container("a", hash(1)).allowStdio(true).build();
        Container b = container("b", hash(1)).allowStdio(false).build();
        PolicyEngine e = ready(CONFCOM_FLAGS, a, b);
        denied(e.evaluate(create(a, ID)), "containers only distinguishable by allow_stdio_access");
    }

    @Test
    void create_container_47_pauseContainerSysfsCarveOut() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Request.Mount sysRw = new Request.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "rw"));
        List<Request.Mount> mounts = new ArrayList<>(create(x, ID).mounts());
        mounts.add(sysRw);
        Request.CreateContainer r = create(x, ID).withMounts(mounts);
        denied(e.evaluate(r), "invalid mount list: /sys");
        allowed(e.evaluate(r.withSandboxContainer(true)));
        denied(e.evaluate(r.withSandboxContainer(true).withPrivileged(true)), "privileged escalation not allowed");
        Request.Mount sysRwExtra = new Request.Mount("/sys", "sysfs", "sysfs",
                List.of("nosuid", "noexec", "nodev", "rw", "relatime"));
        denied(e.evaluate(create(x, ID).withMounts(List.of(sysRwExtra)).withSandboxContainer(true)),
                "invalid mount list: /sys");
    }

    @Test
    void create_container_redactsDefaultCapabilitySetsInTheReport() {
        PolicyEngine e = ready(CONFCOM_FLAGS, x);
        Decision.Deny d = denied(e.evaluate(create(x, ID).withSeccomp("ff")));
        assertThat(Json.compact(d.report().input().orElseThrow().get("capabilities"))).isEqualTo("\"[unprivileged]\"");
    }
}
