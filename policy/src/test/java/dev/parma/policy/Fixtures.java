package dev.parma.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.parma.policy.engine.ContainerChecks;
import dev.parma.policy.engine.Decision;
import dev.parma.policy.engine.PolicyEngine;
import dev.parma.policy.engine.Request;
import dev.parma.policy.generate.PolicyWriter;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExecProcess;
import dev.parma.policy.model.ExternalProcess;
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.IdName;
import dev.parma.policy.model.LinuxDefaults;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;
import dev.parma.policy.model.Semver;
import dev.parma.policy.model.UserRule;

/** Builders for test policies and for requests that a given policy container allows. */
public final class Fixtures {

    public static final String SANDBOX_ID = "a".repeat(64);
    public static final String SANDBOX_DIR = "/run/gcs/c/" + SANDBOX_ID + "/sandboxMounts";
    public static final String HUGEPAGES_DIR = "/run/gcs/c/" + SANDBOX_ID + "/hugepages";
    public static final Flags CONFCOM_FLAGS = new Flags(true, false, false, false, false, false, false);

    private Fixtures() {
    }

    public static String hash(int n) {
        return String.format("%064x", n);
    }

    public static String cid(int n) {
        return String.format("%064x", 0xc0000 + n);
    }

    /** A confcom-like container with one layer, command, env PATH and TERM, unprivileged default caps. */
    public static ContainerBuilder container(String name, String... layers) {
        return new ContainerBuilder(name, List.of(layers));
    }

    public static Policy policy(Flags flags, Container... containers) {
        return policy(flags, List.of(), List.of(containers));
    }

    public static Policy policy(Flags flags, List<FragmentRef> fragments, List<Container> containers) {
        return policy(flags, fragments, containers, List.of());
    }

    public static Policy policy(Flags flags, List<FragmentRef> fragments, List<Container> containers,
            List<ExternalProcess> external) {
        return Policies.fromText(PolicyWriter.write(new PolicyWriter.Draft(Semver.parse("0.10.0"),
                Semver.parse("0.2.3"), fragments, containers, external, flags)));
    }

    /** Mounts every layer of the container and its overlay, committing each step. */
    public static void mountOverlay(PolicyEngine engine, Container c, String containerId, int deviceBase) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < c.layers().size(); i++) {
            String target = "/run/mounts/scsi/m" + (deviceBase + i);
            commit(engine.evaluate(new Request.MountDevice(target, c.layers().get(i))));
            paths.add(0, target);
        }
        commit(engine.evaluate(new Request.MountOverlay(containerId, paths, "/run/gcs/c/" + containerId + "/rootfs")));
    }

    public static Decision.Allow commit(Decision d) {
        if (!(d instanceof Decision.Allow a)) {
            throw new AssertionError("expected allow, got " + ((Decision.Deny) d).report().toJson());
        }
        a.commit();
        return a;
    }

    /** The process a guest would send for the container's init process. */
    public static Request.Process process(Container c) {
        return new Request.Process(c.command().orElse(List.of()), envFor(c.envRules()), c.workingDir(),
                c.noNewPrivileges(), userFor(c.user().user()), List.of(groupFor(c.user())), c.user().umask(),
                ContainerChecks.allowedCapabilities(c, c.allowElevated()));
    }

    public static Request.CreateContainer create(Container c, String containerId) {
        List<Request.Mount> mounts = new ArrayList<>();
        for (MountConstraint k : c.mounts()) {
            if (k.source().startsWith(MountConstraint.PLAN9_PREFIX)) {
                continue;
            }
            mounts.add(new Request.Mount(k.destination(), sourceFor(k.source()), k.type(), k.options()));
        }
        mounts.add(new Request.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        return new Request.CreateContainer(containerId, process(c), mounts, SANDBOX_DIR, HUGEPAGES_DIR,
                c.allowElevated(), c.seccompProfileSha256(), List.of());
    }

    static String sourceFor(String constraint) {
        if (constraint.startsWith(MountConstraint.SANDBOX_PREFIX)) {
            return SANDBOX_DIR + example(constraint.substring(MountConstraint.SANDBOX_PREFIX.length()));
        }
        if (constraint.startsWith(MountConstraint.HUGEPAGES_PREFIX)) {
            return HUGEPAGES_DIR + example(constraint.substring(MountConstraint.HUGEPAGES_PREFIX.length()));
        }
        return constraint;
    }

    /** An example string for the simple regexes tests use: ".+" / ".*" become "v1". */
    static String example(String regex) {
        return regex.replace(".+", "v1").replace(".*", "v1");
    }

    static List<String> envFor(List<EnvRule> rules) {
        List<String> env = new ArrayList<>();
        for (EnvRule r : rules) {
            if (r instanceof EnvRule.Whole w) {
                if (w.strategy() == MatchStrategy.STRING) {
                    env.add(w.pattern());
                } else if (w.required()) {
                    env.add(example(w.pattern()));
                }
            }
        }
        return env;
    }

    static Request.IdNameValue userFor(IdName rule) {
        return switch (rule.strategy()) {
            case ANY -> new Request.IdNameValue("0", "root");
            case ID -> new Request.IdNameValue(rule.pattern(), "user" + rule.pattern());
            case NAME -> new Request.IdNameValue("1000", rule.pattern());
            case RE2 -> new Request.IdNameValue("1000", example(rule.pattern()));
        };
    }

    static Request.IdNameValue groupFor(UserRule u) {
        return u.groups().isEmpty() ? new Request.IdNameValue("0", "root") : userFor(u.groups().get(0));
    }

    /** Mutable builder for test containers; defaults mirror confcom output. */
    public static final class ContainerBuilder {
        private final String name;
        private List<String> layers;
        private Optional<List<String>> command = Optional.of(List.of("/bin/app", "--serve"));
        private List<EnvRule> env = new ArrayList<>(List.of(
                new EnvRule.Whole("PATH=/usr/bin:/bin", MatchStrategy.STRING, false),
                new EnvRule.Whole("TERM=xterm", MatchStrategy.STRING, false)));
        private String workingDir = "/";
        private List<MountConstraint> mounts = new ArrayList<>();
        private List<ExecProcess> exec = new ArrayList<>();
        private List<Integer> signals = new ArrayList<>(List.of(9, 15));
        private boolean allowElevated;
        private boolean allowStdio = true;
        private boolean nnp;
        private UserRule user = UserRule.DEFAULT;
        private Optional<CapabilitySets> caps = Optional.of(LinuxDefaults.UNPRIVILEGED);
        private String seccomp = "";

        ContainerBuilder(String name, List<String> layers) {
            this.name = name;
            this.layers = layers;
        }

        public ContainerBuilder command(String... argv) {
            this.command = Optional.of(List.of(argv));
            return this;
        }

        public ContainerBuilder nullCommand() {
            this.command = Optional.empty();
            return this;
        }

        public ContainerBuilder env(EnvRule... rules) {
            this.env = new ArrayList<>(List.of(rules));
            return this;
        }

        public ContainerBuilder addEnv(EnvRule rule) {
            this.env.add(rule);
            return this;
        }

        public ContainerBuilder workingDir(String w) {
            this.workingDir = w;
            return this;
        }

        public ContainerBuilder mount(MountConstraint m) {
            this.mounts.add(m);
            return this;
        }

        public ContainerBuilder exec(ExecProcess e) {
            this.exec.add(e);
            return this;
        }

        public ContainerBuilder signals(Integer... s) {
            this.signals = List.of(s);
            return this;
        }

        public ContainerBuilder allowElevated(boolean b) {
            this.allowElevated = b;
            return this;
        }

        public ContainerBuilder allowStdio(boolean b) {
            this.allowStdio = b;
            return this;
        }

        public ContainerBuilder noNewPrivileges(boolean b) {
            this.nnp = b;
            return this;
        }

        public ContainerBuilder user(UserRule u) {
            this.user = u;
            return this;
        }

        public ContainerBuilder capabilities(CapabilitySets c) {
            this.caps = Optional.ofNullable(c);
            return this;
        }

        public ContainerBuilder seccomp(String s) {
            this.seccomp = s;
            return this;
        }

        public ContainerBuilder layers(String... l) {
            this.layers = List.of(l);
            return this;
        }

        public Container build() {
            return new Container(Optional.of(name), Optional.of("example.azurecr.io/" + name + ":1"), layers, command,
                    env, workingDir, mounts, exec, signals, allowElevated, allowStdio, nnp, user, caps, seccomp);
        }
    }
}
