package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.cid;
import static dev.parma.policy.Fixtures.create;
import static dev.parma.policy.Fixtures.mountOverlay;
import static dev.parma.policy.Seeded.where;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parma.policy.Fixtures;
import dev.parma.policy.Seeded;
import dev.parma.policy.engine.PolicyGenerators.Generated;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExecProcess;
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.IdName;

/**
 * Seeded properties over random policies ({@link PolicyGenerators}): a request built from a policy container is
 * allowed, and every single-field mutation of it is denied. The seed is printed at the start and named in every
 * failure; replay with {@code -Dparma.seed=<seed>}.
 */
class EnginePropertiesTest {

    static final int TRIALS = 500;

    @BeforeAll
    static void announceSeed() {
        Seeded.announce();
    }

    @Test
    void create_container_requestBuiltFromAContainer_isAllowed() {
        Seeded.forAll(TRIALS, (r, trial) -> {
            Generated g = PolicyGenerators.policy(r, trial);
            PolicyEngine e = PolicyEngine.load(g.policy());
            for (int i = 0; i < g.containers().size(); i++) {
                Container c = g.containers().get(i);
                mountOverlay(e, c, cid(i), i * 10);
                Decision d = e.evaluate(create(c, cid(i)));
                assertThat(d.allowed()).as(() -> where(trial) + "create " + c.label() + " denied: "
                        + ((Decision.Deny) d).report().toJson() + "\npolicy:\n" + g).isTrue();
                ((Decision.Allow) d).commit();
                for (ExecProcess p : c.execProcesses()) {
                    Decision x = e.evaluate(new Request.ExecInContainer(cid(i), Fixtures.process(c)
                            .withArgList(p.command())));
                    assertThat(x.allowed()).as(() -> where(trial) + "exec " + p.command() + " in " + c.label()
                            + " denied: " + ((Decision.Deny) x).report().toJson() + "\npolicy:\n" + g).isTrue();
                }
            }
        });
    }

    @Test
    void create_container_everySingleFieldMutation_isDenied() {
        Seeded.forAll(TRIALS, (r, trial) -> {
            Generated g = PolicyGenerators.policy(r, trial);
            assertThat(allowedMutations(g, false)).as(() -> where(trial) + "mutations allowed\npolicy:\n" + g)
                    .isEmpty();
        });
    }

    /** Sanity: the mutation property fails when a "mutation" leaves the request unchanged. */
    @Test
    void create_container_everySingleFieldMutation_isDenied_detectsAnUnchangedRequest() {
        Seeded.forAll(20, (r, trial) -> {
            Generated g = PolicyGenerators.policy(r, trial);
            List<String> allowed = allowedMutations(g, true);
            assertThat(allowed).as(() -> where(trial) + "policy:\n" + g).hasSize(g.containers().size())
                    .allMatch(s -> s.startsWith("unchanged of "));
        });
    }

    /** Sanity: a seed determines the generated policies (what makes -Dparma.seed replay a failure). */
    @Test
    void sameSeed_generatesTheSamePolicies() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        Seeded.forAll(Seeded.seed(), 5, (r, trial) -> first.add(PolicyGenerators.policy(r, trial).toString()));
        Seeded.forAll(Seeded.seed(), 5, (r, trial) -> second.add(PolicyGenerators.policy(r, trial).toString()));
        assertThat(second).as(where(0)).isEqualTo(first).doesNotHaveDuplicates();
    }

    /**
     * For each container: loads the policy, mounts the container's overlay, checks the unmutated request is allowed,
     * and returns the mutations (named "mutation of container i (label)") that were allowed. With {@code withUnchanged}, an
     * extra "unchanged" mutation that is the allowed request itself is tried, which must be reported.
     */
    static List<String> allowedMutations(Generated g, boolean withUnchanged) {
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < g.containers().size(); i++) {
            Container c = g.containers().get(i);
            PolicyEngine e = PolicyEngine.load(g.policy());
            mountOverlay(e, c, cid(i), 0);
            Request.CreateContainer good = create(c, cid(i));
            Map<String, Request.CreateContainer> ms = mutations(c, good, g.policy().flags());
            if (withUnchanged) {
                ms.put("unchanged", good);
            }
            for (Map.Entry<String, Request.CreateContainer> m : ms.entrySet()) {
                if (e.evaluate(m.getValue()).allowed()) {
                    allowed.add(m.getKey() + " of container " + i + " (" + c.label() + ")");
                }
            }
            if (!e.evaluate(good).allowed()) {
                allowed.add("(the unmutated request was denied) container " + i + " (" + c.label() + ")");
            }
        }
        return allowed;
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
}
