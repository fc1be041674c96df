package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.cid;
import static dev.parma.policy.Fixtures.create;
import static dev.parma.policy.Fixtures.mountOverlay;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeTry;

import dev.parma.policy.Fixtures;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExecProcess;
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.IdName;
import dev.parma.policy.model.LinuxDefaults;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.Policy;
import dev.parma.policy.model.UserRule;

/**
 * Seeded properties over random policies (jqwik prints the seed of every run in its report; replay a failure with
 * {@code @Property(seed = "...")}): a request built from a policy container is allowed, and every single-field
 * mutation of it is denied.
 */
class EnginePropertiesTest {

    private static int counter;

    @BeforeTry
    void fresh() {
        counter++;
    }

    @Property(tries = 150)
    void create_container_requestBuiltFromAContainer_isAllowed(@ForAll("policies") Generated g) {
        PolicyEngine e = PolicyEngine.load(g.policy);
        for (int i = 0; i < g.containers.size(); i++) {
            Container c = g.containers.get(i);
            mountOverlay(e, c, cid(i), i * 10);
            Decision d = e.evaluate(create(c, cid(i)));
            assertThat(d.allowed()).as(() -> ((Decision.Deny) d).report().toJson()).isTrue();
            ((Decision.Allow) d).commit();
            for (ExecProcess p : c.execProcesses()) {
                Decision x = e.evaluate(new Request.ExecInContainer(cid(i), Fixtures.process(c)
                        .withArgList(p.command())));
                assertThat(x.allowed()).as(() -> ((Decision.Deny) x).report().toJson()).isTrue();
            }
        }
    }

    @Property(tries = 150)
    void create_container_everySingleFieldMutation_isDenied(@ForAll("policies") Generated g) {
        for (int i = 0; i < g.containers.size(); i++) {
            Container c = g.containers.get(i);
            PolicyEngine e = PolicyEngine.load(g.policy);
            mountOverlay(e, c, cid(i), 0);
            Request.CreateContainer good = create(c, cid(i));
            for (Map.Entry<String, Request.CreateContainer> m : mutations(c, good, g.policy.flags()).entrySet()) {
                Decision d = e.evaluate(m.getValue());
                assertThat(d.allowed()).as("mutation %s of %s", m.getKey(), c.label()).isFalse();
            }
            assertThat(e.evaluate(good).allowed()).isTrue();
        }
    }

    static Map<String, Request.CreateContainer> mutations(Container c, Request.CreateContainer r, Flags flags) {
        Map<String, Request.CreateContainer> m = new LinkedHashMap<>();
        Request.Process p = r.process();
        m.put("argv longer", proc(r, p.withArgList(append(p.argList(), "x"))));
        List<String> changed = new ArrayList<>(p.argList());
        changed.set(0, changed.get(0) + "x");
        m.put("argv element", proc(r, p.withArgList(changed)));
        m.put("workingDir", proc(r, p.withWorkingDir(p.workingDir() + "x")));
        if (!flags.allowEnvironmentVariableDropping()) {
            m.put("env extra", proc(r, p.withEnvList(append(p.envList(), "UNCOVERED_ZZ=1"))));
        }
        for (EnvRule rule : c.envRules()) {
            if (rule.required()) {
                m.put("env required removed", proc(r, p.withEnvList(p.envList().stream()
                        .filter(e -> !ContainerChecks.envMatches(rule, e)).toList())));
            }
        }
        m.put("umask", proc(r, p.withUmask("0077")));
        IdName u = c.user().user();
        if (u.strategy() == IdName.Strategy.ID) {
            m.put("user id", proc(r, p.withUser(new Request.IdNameValue(u.pattern() + "1", p.user().name()))));
        } else if (u.strategy() == IdName.Strategy.NAME) {
            m.put("user name", proc(r, p.withUser(new Request.IdNameValue(p.user().id(), u.pattern() + "x"))));
        }
        if (c.noNewPrivileges()) {
            m.put("noNewPrivileges", proc(r, p.withNoNewPrivileges(false)));
        }
        if (!c.allowElevated()) {
            m.put("privileged", r.withPrivileged(true));
        }
        CapabilitySets caps = p.capabilities();
        if (!caps.bounding().isEmpty()) {
            m.put("caps missing", proc(r, p.withCapabilities(new CapabilitySets(caps.bounding().subList(1,
                    caps.bounding().size()), caps.effective(), caps.inheritable(), caps.permitted(), caps.ambient()))));
        }
        if (!flags.allowCapabilityDropping()) {
            m.put("caps extra", proc(r, p.withCapabilities(new CapabilitySets(caps.bounding(), caps.effective(),
                    caps.inheritable(), caps.permitted(), append(caps.ambient(), "CAP_SYS_MODULE")))));
        }
        m.put("seccomp", r.withSeccomp(r.seccompProfileSHA256() + "ab"));
        if (!r.mounts().isEmpty()) {
            Request.Mount first = r.mounts().get(0);
            List<Request.Mount> ms = new ArrayList<>(r.mounts());
            ms.set(0, new Request.Mount(first.destination() + "x", first.source(), first.type(), first.options()));
            m.put("mount destination", r.withMounts(ms));
        }
        m.put("mount extra", r.withMounts(append(r.mounts(),
                new Request.Mount("/evil", "/etc", "bind", List.of("rbind", "rw")))));
        m.put("devices", r.withDevices(List.of("/dev/sda")));
        m.put("containerID", r.withContainerID(cid(999)));
        return m;
    }

    static Request.CreateContainer proc(Request.CreateContainer r, Request.Process p) {
        return r.withProcess(p);
    }

    static <T> List<T> append(List<T> l, T x) {
        List<T> out = new ArrayList<>(l);
        out.add(x);
        return out;
    }

    /** A policy and its containers (each with its own layers, so an overlay selects exactly one). */
    record Generated(Policy policy, List<Container> containers) {
        @Override
        public String toString() {
            return policy.sourceText();
        }
    }

    @Provide
    Arbitrary<Generated> policies() {
        Arbitrary<Flags> flags = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((env, caps) -> new Flags(true, false, false, env, false, caps, false));
        return Combinators.combine(flags, container().list().ofMinSize(1).ofMaxSize(4)).as((f, cs) -> {
            List<Container> unique = new ArrayList<>();
            for (int i = 0; i < cs.size(); i++) {
                unique.add(withLayers(cs.get(i), i));
            }
            return new Generated(Fixtures.policy(f, unique.toArray(new Container[0])), unique);
        });
    }

    static Container withLayers(Container c, int index) {
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < c.layers().size(); l++) {
            layers.add(Fixtures.hash(1000 * (index + 1) + l));
        }
        return new Container(c.name(), c.id(), layers, c.command(), c.envRules(), c.workingDir(), c.mounts(),
                c.execProcesses(), c.signals(), c.allowElevated(), c.allowStdioAccess(), c.noNewPrivileges(),
                c.user(), c.capabilities(), c.seccompProfileSha256());
    }

    static Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    }

    static Arbitrary<EnvRule> envRule() {
        Arbitrary<EnvRule> str = Combinators.combine(word(), word())
                .as((n, v) -> new EnvRule.Whole(n.toUpperCase() + "=" + v, MatchStrategy.STRING, false));
        Arbitrary<EnvRule> re2 = Combinators.combine(word(), Arbitraries.of(true, false))
                .as((n, req) -> new EnvRule.Whole("R_" + n.toUpperCase() + "=.+", MatchStrategy.RE2, req));
        return Arbitraries.oneOf(str, re2);
    }

    static Arbitrary<UserRule> user() {
        Arbitrary<IdName> u = Arbitraries.oneOf(Arbitraries.just(IdName.ANY),
                Arbitraries.integers().between(1, 65000).map(i -> new IdName(Integer.toString(i), IdName.Strategy.ID)),
                word().map(w -> new IdName(w, IdName.Strategy.NAME)));
        return Combinators.combine(u, Arbitraries.of("0022", "0027")).as((x, um) -> new UserRule(x,
                List.of(IdName.ANY), um));
    }

    static Arbitrary<Optional<CapabilitySets>> caps() {
        Arbitrary<Optional<CapabilitySets>> subset = Arbitraries.subsetOf(LinuxDefaults.UNPRIVILEGED_CAPABILITIES)
                .ofMinSize(1).map(s -> {
                    List<String> l = s.stream().sorted().toList();
                    return Optional.of(new CapabilitySets(l, l, List.of(), l, List.of()));
                });
        return Arbitraries.oneOf(subset, Arbitraries.just(Optional.empty()));
    }

    static Arbitrary<Container> container() {
        Arbitrary<List<String>> command = word().map(w -> "/bin/" + w).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<EnvRule>> env = envRule().list().ofMaxSize(4);
        Arbitrary<List<MountConstraint>> mounts = word().map(w -> new MountConstraint("/mnt/" + w,
                "sandbox:///tmp/atlas/emptydir/.+", "bind", List.of("rbind", "rshared", "rw"))).list().ofMaxSize(2)
                .uniqueElements(MountConstraint::destination);
        Arbitrary<List<ExecProcess>> exec = word().map(w -> new ExecProcess(List.of("/bin/" + w), List.of(9)))
                .list().ofMaxSize(2);
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        Arbitrary<String> seccomp = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().withChars(
                "0123456789abcdef").ofLength(64));
        Arbitrary<Integer> layerCount = Arbitraries.integers().between(1, 3);
        Arbitrary<Shape> shape = Combinators.combine(command, env, word(), mounts, exec)
                .as((cmd, e, wd, ms, ex) -> new Shape(cmd, e, "/" + wd, ms, ex));
        Arbitrary<Security> security = Combinators.combine(bool, bool, user(), caps(), seccomp, layerCount)
                .as(Security::new);
        return Combinators.combine(shape, security).as((sh, se) -> {
            List<String> layers = new ArrayList<>();
            for (int l = 0; l < se.layerCount(); l++) {
                layers.add("placeholder" + l);
            }
            return new Container(Optional.of("c" + counter), Optional.empty(), layers, Optional.of(sh.command()),
                    sh.env(), sh.workingDir(), sh.mounts(), sh.exec(), List.of(9, 15), se.elevated(), true, se.nnp(),
                    se.user(), se.caps(), se.seccomp());
        });
    }

    record Shape(List<String> command, List<EnvRule> env, String workingDir, List<MountConstraint> mounts,
            List<ExecProcess> exec) {
    }

    record Security(boolean elevated, boolean nnp, UserRule user, Optional<CapabilitySets> caps, String seccomp,
            int layerCount) {
    }

}
