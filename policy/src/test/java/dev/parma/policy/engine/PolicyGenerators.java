package dev.parma.policy.engine;

import static dev.parma.policy.Seeded.between;
import static dev.parma.policy.Seeded.bool;
import static dev.parma.policy.Seeded.list;
import static dev.parma.policy.Seeded.oneOf;
import static dev.parma.policy.Seeded.oneOfGen;
import static dev.parma.policy.Seeded.string;
import static dev.parma.policy.Seeded.subset;
import static dev.parma.policy.Seeded.uniqueList;
import static dev.parma.policy.Seeded.word;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

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

/** Random policies for {@link EnginePropertiesTest}: 1–4 random containers, random env/capability dropping flags. */
final class PolicyGenerators {

    private PolicyGenerators() {
    }

    /** A policy and its containers (each with its own layers, so an overlay selects exactly one). */
    record Generated(Policy policy, List<Container> containers) {
        @Override
        public String toString() {
            return policy.sourceText();
        }
    }

    /** A random policy; {@code trial} names its containers ({@code c<trial>}). */
    static Generated policy(SplittableRandom r, int trial) {
        Flags flags = new Flags(true, false, false, bool(r), false, bool(r), false);
        List<Container> cs = list(r, 1, 4, x -> container(x, trial));
        List<Container> unique = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            unique.add(withLayers(cs.get(i), i));
        }
        return new Generated(Fixtures.policy(flags, unique.toArray(new Container[0])), unique);
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

    static EnvRule envRule(SplittableRandom r) {
        return oneOfGen(r,
                x -> new EnvRule.Whole(word(x).toUpperCase() + "=" + word(x), MatchStrategy.STRING, false),
                x -> new EnvRule.Whole("R_" + word(x).toUpperCase() + "=.+", MatchStrategy.RE2, bool(x)));
    }

    static UserRule user(SplittableRandom r) {
        IdName u = oneOfGen(r, x -> IdName.ANY,
                x -> new IdName(Integer.toString(between(x, 1, 65000)), IdName.Strategy.ID),
                x -> new IdName(word(x), IdName.Strategy.NAME));
        return new UserRule(u, List.of(IdName.ANY), oneOf(r, "0022", "0027"));
    }

    static Optional<CapabilitySets> caps(SplittableRandom r) {
        return oneOfGen(r, x -> {
            List<String> l = subset(x, LinuxDefaults.UNPRIVILEGED_CAPABILITIES, 1).stream().sorted().toList();
            return Optional.of(new CapabilitySets(l, l, List.of(), l, List.of()));
        }, x -> Optional.empty());
    }

    static Container container(SplittableRandom r, int trial) {
        List<String> command = list(r, 1, 3, x -> "/bin/" + word(x));
        List<EnvRule> env = list(r, 0, 4, PolicyGenerators::envRule);
        String workingDir = "/" + word(r);
        List<MountConstraint> mounts = uniqueList(r, 2, x -> new MountConstraint("/mnt/" + word(x),
                "sandbox:///tmp/atlas/emptydir/.+", "bind", List.of("rbind", "rshared", "rw")),
                MountConstraint::destination);
        List<ExecProcess> exec = list(r, 0, 2, x -> new ExecProcess(List.of("/bin/" + word(x)), List.of(9)));
        boolean elevated = bool(r);
        boolean nnp = bool(r);
        UserRule user = user(r);
        Optional<CapabilitySets> caps = caps(r);
        String seccomp = oneOfGen(r, x -> "", x -> string(x, "0123456789abcdef", 64, 64));
        List<String> layers = new ArrayList<>();
        for (int l = between(r, 1, 3); l > 0; l--) {
            layers.add("placeholder" + layers.size());
        }
        return new Container(Optional.of("c" + trial), Optional.empty(), layers, Optional.of(command), env,
                workingDir, mounts, exec, List.of(9, 15), elevated, true, nnp, user, caps, seccomp);
    }
}
