package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExecProcess;

/**
 * create_container and exec_in_container: narrow the candidates recorded by mount_overlay, field by field, in the
 * framework's order (initial filter, env, capabilities, stdio agreement). Errors are computed per check over all
 * candidates, as the framework's error rules do, so a denial names every field that no candidate accepts.
 */
final class CreateContainerRule {

    private CreateContainerRule() {
    }

    static Outcome evaluate(Request.CreateContainer x, Metadata m, boolean envDropping, boolean capDropping) {
        String id = x.containerID();
        if (m.started().containsKey(id)) {
            return Outcome.deny("container already started");
        }
        List<Container> cands = m.matches().get(id);
        if (cands == null || cands.isEmpty()) {
            return Outcome.deny("no overlay has been mounted for this container");
        }
        Request.Process p = x.process();
        Set<String> p9 = p9For(m, id);
        List<Check> checks = List.of(
                new Check("invalid noNewPrivileges", c -> ContainerChecks.noNewPrivilegesOk(c, p.noNewPrivileges())),
                new Check("invalid user",
                        c -> ContainerChecks.userOk(c.user(), p.user(), p.groups(), p.umask())),
                new Check("privileged escalation not allowed", c -> ContainerChecks.privilegedOk(c, x.privileged())),
                new Check("invalid working directory", c -> ContainerChecks.workingDirOk(c, p.workingDir())),
                new Check("invalid command", c -> ContainerChecks.commandOk(c, p.argList())),
                new Check(null, c -> ContainerChecks.unmatchedMounts(c, x.mounts(), x.sandboxDir(), x.hugePagesDir(),
                        x.privileged(), p9, x.isSandboxContainer()).isEmpty()),
                new Check("invalid seccomp", c -> ContainerChecks.seccompOk(c, x.seccompProfileSHA256())));
        Narrowed n = narrow(p, passing(checks, cands), x.privileged(), envDropping, capDropping, true);
        if (n.allowed() && x.devices().isEmpty()) {
            return n.allow(id, x.privileged(), true);
        }
        // Deny path only: explain every field no candidate accepts, as the framework's error rules do.
        List<String> errors = new ArrayList<>();
        if (!x.devices().isEmpty()) {
            errors.add("devices not supported");
        }
        for (Check ch : checks) {
            if (cands.stream().noneMatch(ch.test)) {
                errors.add(ch.error != null ? ch.error : mountError(cands, x, p9));
            }
        }
        errors.addAll(fieldErrors(p, cands, x.privileged(), envDropping, capDropping));
        errors.addAll(n.ambiguity());
        return Outcome.deny(errors.isEmpty() ? List.of(NO_SINGLE_MATCH) : errors);
    }

    static final String NO_SINGLE_MATCH = "no single container in the policy matches all fields of the request";

    static Outcome exec(Request.ExecInContainer x, Metadata m, boolean envDropping, boolean capDropping) {
        String id = x.containerID();
        Metadata.Started started = m.started().get(id);
        List<Container> cands = m.matches().get(id);
        if (started == null || cands == null) {
            return Outcome.deny("container not started");
        }
        Request.Process p = x.process();
        List<Check> checks = List.of(
                new Check("invalid working directory", c -> ContainerChecks.workingDirOk(c, p.workingDir())),
                new Check("invalid noNewPrivileges", c -> ContainerChecks.noNewPrivilegesOk(c, p.noNewPrivileges())),
                new Check("invalid user", c -> ContainerChecks.userOk(c.user(), p.user(), p.groups(), p.umask())),
                new Check("invalid command", c -> execCommandOk(c, p.argList())));
        Narrowed n = narrow(p, passing(checks, cands), started.privileged(), envDropping, capDropping, false);
        if (n.allowed()) {
            Outcome o = n.allow(id, started.privileged(), false);
            // stdio permission for exec is the one fixed at create time.
            return new Outcome(true, o.envList(), o.capsList(), started.allowStdioAccess(), false, List.of(),
                    o.changes(), List.of());
        }
        List<String> errors = new ArrayList<>();
        for (Check ch : checks) {
            if (cands.stream().noneMatch(ch.test)) {
                errors.add(ch.error);
            }
        }
        errors.addAll(fieldErrors(p, cands, started.privileged(), envDropping, capDropping));
        errors.addAll(n.ambiguity());
        return Outcome.deny(errors.isEmpty() ? List.of(NO_SINGLE_MATCH) : errors);
    }

    private static List<Container> passing(List<Check> checks, List<Container> cands) {
        List<Container> out = new ArrayList<>(cands.size());
        for (Container c : cands) {
            if (allPass(checks, c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean execCommandOk(Container c, List<String> argList) {
        for (ExecProcess e : c.execProcesses()) {
            if (e.command().equals(argList)) {
                return true;
            }
        }
        return false;
    }

    /** The outcome of narrowing: the remaining candidates with env and caps lists, or ambiguity errors. */
    private record Narrowed(List<Container> remaining, List<String> env, CapabilitySets caps,
            List<String> ambiguity) {
        boolean allowed() {
            return !remaining.isEmpty() && ambiguity.isEmpty();
        }

        Outcome allow(String id, boolean privileged, boolean create) {
            boolean allowStdio = remaining.get(0).allowStdioAccess();
            List<Container> keep = List.copyOf(remaining);
            List<StateChange> changes = new ArrayList<>(2);
            changes.add(Framework.change("matches update " + id, s -> s.updateMatches(id, keep)));
            if (create) {
                changes.add(Framework.change("started add " + id,
                        s -> s.addStarted(id, new Metadata.Started(privileged, allowStdio))));
            }
            return new Outcome(true, Optional.of(env), Optional.of(caps), allowStdio, false, List.of(), changes,
                    List.of());
        }
    }

    /** Env, then capabilities, then stdio agreement, over the candidates that passed the initial filter. */
    private static Narrowed narrow(Request.Process p, List<Container> initial, boolean privileged,
            boolean envDropping, boolean capDropping, boolean create) {
        List<String> env = p.envList();
        if (envDropping && !initial.isEmpty()) {
            List<List<String>> kept = new ArrayList<>(initial.size());
            for (Container c : initial) {
                kept.add(ContainerChecks.keptEnv(c.envRules(), p.envList()));
            }
            Optional<List<String>> best = largestUnique(kept);
            if (best.isEmpty()) {
                return new Narrowed(List.of(), env, p.capabilities(),
                        List.of("containers only distinguishable by environment variables"));
            }
            env = best.get();
        }
        List<Container> afterEnv = new ArrayList<>(initial.size());
        for (Container c : initial) {
            if (ContainerChecks.envOk(c.envRules(), env)) {
                afterEnv.add(c);
            }
        }
        CapabilitySets requested = p.capabilities();
        CapabilitySets caps = requested;
        if (capDropping && !afterEnv.isEmpty()) {
            List<CapabilitySets> filtered = new ArrayList<>(afterEnv.size());
            for (Container c : afterEnv) {
                filtered.add(ContainerChecks.intersect(requested, ContainerChecks.allowedCapabilities(c, privileged)));
            }
            Optional<CapabilitySets> best = largestUniqueCaps(filtered);
            if (best.isEmpty()) {
                return new Narrowed(List.of(), env, caps, List.of("containers only distinguishable by capabilties"));
            }
            caps = best.get();
        }
        List<Container> afterCaps = new ArrayList<>(afterEnv.size());
        for (Container c : afterEnv) {
            if (ContainerChecks.capabilitiesEqual(ContainerChecks.allowedCapabilities(c, privileged), caps)) {
                afterCaps.add(c);
            }
        }
        if (create && afterCaps.stream().map(Container::allowStdioAccess).distinct().count() > 1) {
            return new Narrowed(List.of(), env, caps,
                    List.of("containers only distinguishable by allow_stdio_access"));
        }
        return new Narrowed(afterCaps, env, caps, List.of());
    }

    /** Env and capability errors over all candidates (deny path). */
    private static List<String> fieldErrors(Request.Process p, List<Container> cands, boolean privileged,
            boolean envDropping, boolean capDropping) {
        List<String> errors = new ArrayList<>();
        if (cands.stream().noneMatch(c -> ContainerChecks.envOk(c.envRules(),
                envDropping ? ContainerChecks.keptEnv(c.envRules(), p.envList()) : p.envList()))) {
            errors.addAll(envErrors(cands.stream().map(Container::envRules).toList(), p.envList(), envDropping));
        }
        CapabilitySets requested = p.capabilities();
        boolean anyCaps = cands.stream().anyMatch(c -> {
            CapabilitySets allowed = ContainerChecks.allowedCapabilities(c, privileged);
            CapabilitySets want = capDropping ? ContainerChecks.intersect(requested, allowed) : requested;
            return ContainerChecks.capabilitiesEqual(allowed, want);
        });
        if (!anyCaps) {
            errors.add("capabilities don't match");
        }
        return errors;
    }

    static List<String> envErrors(List<List<EnvRule>> candRules, List<String> envList, boolean dropping) {
        List<String> errors = new ArrayList<>();
        if (!dropping) {
            Set<String> bad = new LinkedHashSet<>();
            for (String e : envList) {
                boolean any = false;
                for (List<EnvRule> rules : candRules) {
                    if (ContainerChecks.envMatchesAny(rules, e)) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    int eq = e.indexOf('=');
                    bad.add(eq >= 0 ? e.substring(0, eq) : e);
                }
            }
            if (!bad.isEmpty()) {
                errors.add("invalid env list: " + String.join(",", bad));
            }
        }
        boolean requiredOk = candRules.stream().anyMatch(r -> ContainerChecks.missingRequired(r,
                dropping ? ContainerChecks.keptEnv(r, envList) : envList).isEmpty());
        if (!requiredOk) {
            errors.add("missing required environment variable");
        }
        if (errors.isEmpty()) {
            errors.add("invalid env list");
        }
        return errors;
    }

    /** The largest of the lists, if all largest ones hold the same entries (else the choice is ambiguous). */
    static Optional<List<String>> largestUnique(List<List<String>> lists) {
        int max = lists.stream().mapToInt(List::size).max().orElse(0);
        List<String> best = null;
        for (List<String> l : lists) {
            if (l.size() != max) {
                continue;
            }
            if (best == null) {
                best = l;
            } else if (!new HashSet<>(best).equals(new HashSet<>(l))) {
                return Optional.empty();
            }
        }
        return Optional.of(best == null ? List.of() : best);
    }

    private static Optional<CapabilitySets> largestUniqueCaps(List<CapabilitySets> sets) {
        int max = sets.stream().mapToInt(ContainerChecks::total).max().orElse(0);
        CapabilitySets best = null;
        for (CapabilitySets s : sets) {
            if (ContainerChecks.total(s) != max) {
                continue;
            }
            if (best == null) {
                best = s;
            } else if (!ContainerChecks.capabilitiesEqual(best, s)) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(best);
    }

    private static String mountError(List<Container> cands, Request.CreateContainer x, Set<String> p9) {
        Set<String> bad = new LinkedHashSet<>();
        for (Request.Mount mt : x.mounts()) {
            boolean any = false;
            if (x.isSandboxContainer() && ContainerChecks.sandboxSysfs(mt)) {
                continue;
            }
            for (Container c : cands) {
                if (ContainerChecks.mountOk(c, mt, x.sandboxDir(), x.hugePagesDir(), x.privileged(), p9)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                bad.add(mt.destination());
            }
        }
        return "invalid mount list: " + String.join(",", bad);
    }

    private static Set<String> p9For(Metadata m, String id) {
        if (m.p9mounts().isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        m.p9mounts().forEach((target, cid) -> {
            if (cid.equals(id)) {
                out.add(target);
            }
        });
        return out;
    }

    private static boolean allPass(List<Check> checks, Container c) {
        for (Check ch : checks) {
            if (!ch.test.test(c)) {
                return false;
            }
        }
        return true;
    }

    /** One field check; {@code error} null means the message is built from the request (mounts). */
    private record Check(String error, Predicate<Container> test) {
    }
}
