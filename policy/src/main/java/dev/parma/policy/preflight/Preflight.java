package dev.parma.policy.preflight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.parma.policy.Require;
import dev.parma.policy.engine.ContainerChecks;
import dev.parma.policy.engine.Request;
import dev.parma.policy.generate.ContainerDerivation;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.Policy;
import dev.parma.policy.model.Semver;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.spec.SecurityContext;

/**
 * Before deploying: for each container of a group, predict the create_container request the guest will send and
 * check it against the policy with the engine's own per-field checks. Tenants learn "env FOO is not in the policy"
 * at deploy time instead of a base64 blob at container start.
 */
public final class Preflight {

    static final String SANDBOX_DIR = "/run/gcs/c/" + "0".repeat(64) + "/sandboxMounts";
    private static final String PAUSE = "/pause";

    private Preflight() {
    }

    /**
     * @param images image data by image reference; containers without it are checked on what the spec fixes, and
     *            the rest is reported as a note
     */
    public static PreflightReport check(Policy policy, GroupSpec group, Map<String, ImageInfo> images) {
        Require.nonNull(policy, "policy");
        Require.nonNull(group, "group");
        Require.nonNull(images, "images");
        List<ContainerVerdict> out = new ArrayList<>();
        for (ContainerSpec c : group.containers()) {
            out.add(check(policy, c, Optional.ofNullable(images.get(c.image()))));
        }
        return new PreflightReport(out);
    }

    static ContainerVerdict check(Policy policy, ContainerSpec spec, Optional<ImageInfo> image) {
        List<String> notes = new ArrayList<>();
        List<Container> pool = policy.containers().stream()
                .filter(c -> !c.command().equals(Optional.of(List.of(PAUSE)))).toList();
        if (pool.isEmpty()) {
            return new ContainerVerdict(spec.name(), false, Optional.empty(),
                    List.of(new FieldProblem("container", "the policy has no user containers")), notes);
        }
        if (image.isPresent()) {
            List<String> layers = image.get().layerHashes();
            List<Container> byLayers = pool.stream().filter(c -> c.layers().equals(layers)).toList();
            if (byLayers.isEmpty()) {
                Container closest = closestByName(pool, spec);
                return new ContainerVerdict(spec.name(), false, Optional.of(closest.label()),
                        List.of(new FieldProblem("layers", "no policy container has the " + layers.size()
                                + " layer hash(es) of image " + spec.image() + " (closest, " + closest.label()
                                + ", has " + describeLayers(closest.layers(), layers)
                                + "); mount_device would fail with \"deviceHash not found\"")),
                        notes);
            }
            pool = byLayers;
        } else {
            notes.add("no image data for " + spec.image() + ": layers, and command/env/working dir coming from the "
                    + "image, were not checked");
        }
        Container best = null;
        List<FieldProblem> bestProblems = null;
        for (Container c : sortByName(pool, spec)) {
            List<FieldProblem> problems = problems(policy, c, spec, image, notes);
            if (bestProblems == null || problems.size() < bestProblems.size()) {
                best = c;
                bestProblems = problems;
            }
            if (problems.isEmpty()) {
                break;
            }
        }
        return new ContainerVerdict(spec.name(), bestProblems.isEmpty(), Optional.of(best.label()), bestProblems,
                notes.stream().distinct().toList());
    }

    private static List<FieldProblem> problems(Policy policy, Container c, ContainerSpec spec,
            Optional<ImageInfo> image, List<String> notes) {
        List<FieldProblem> p = new ArrayList<>();
        SecurityContext sc = spec.securityContext();
        Optional<List<String>> argv = ContainerDerivation.argv(spec, image);
        if (argv.isPresent()) {
            if (!ContainerChecks.commandOk(c, argv.get())) {
                p.add(new FieldProblem("command", c.command().isEmpty()
                        ? "the policy's command is null, which matches no command"
                        : "the container would run " + argv.get() + " but the policy allows " + c.command().get()));
            }
        } else if (c.command().isEmpty()) {
            p.add(new FieldProblem("command", "the policy's command is null, which matches no command"));
        }
        if (image.isPresent() || spec.workingDir().isPresent()) {
            String wd = ContainerDerivation.workingDir(spec, image);
            if (!ContainerChecks.workingDirOk(c, wd)) {
                p.add(new FieldProblem("workingDir", "\"" + wd + "\" but the policy requires \"" + c.workingDir()
                        + "\""));
            }
        }
        List<String> env = ContainerDerivation.envValues(spec, image);
        List<String> unmatched = ContainerChecks.unmatchedEnv(c.envRules(), env);
        List<String> names = unmatched.stream().map(e -> e.contains("=") ? e.substring(0, e.indexOf('=')) : e)
                .toList();
        if (!unmatched.isEmpty()) {
            if (policy.flags().allowEnvironmentVariableDropping()) {
                notes.add("environment variables not in the policy will be dropped silently: " + names);
            } else {
                p.add(new FieldProblem("env", "not allowed by any env rule: " + String.join(",", names)));
            }
        }
        List<String> kept = policy.flags().allowEnvironmentVariableDropping()
                ? env.stream().filter(e -> !unmatched.contains(e)).toList()
                : env;
        for (EnvRule r : ContainerChecks.missingRequired(c.envRules(), kept)) {
            p.add(new FieldProblem("env", "required variable missing: rule " + describe(r)));
        }
        List<Request.Mount> mounts = requestMounts(spec);
        for (Request.Mount m : ContainerChecks.unmatchedMounts(c, mounts, SANDBOX_DIR, SANDBOX_DIR, sc.privileged(),
                Set.of())) {
            p.add(new FieldProblem("mounts", m.destination() + " (" + (m.options().contains("ro") ? "ro" : "rw")
                    + ") matches no mount constraint of the policy container"));
        }
        if (!ContainerChecks.privilegedOk(c, sc.privileged())) {
            p.add(new FieldProblem("securityContext.privileged", "privileged but the policy has allow_elevated false"));
        }
        if (!ContainerChecks.noNewPrivilegesOk(c, !sc.allowPrivilegeEscalation())) {
            p.add(new FieldProblem("securityContext.allowPrivilegeEscalation",
                    "true but the policy requires no_new_privileges"));
        }
        String uid = sc.runAsUser().map(Object::toString).orElse("0");
        String gid = sc.runAsGroup().map(Object::toString).orElse("0");
        if (!ContainerChecks.userOk(c.user(), new Request.IdNameValue(uid, ""),
                List.of(new Request.IdNameValue(gid, "")), "0022")) {
            p.add(new FieldProblem("securityContext.runAsUser/runAsGroup", "user " + uid + ", group " + gid
                    + " do not match the policy's user rules (" + c.user().user().strategy().wire() + " "
                    + c.user().user().pattern() + ")"));
        }
        if (c.user().user().strategy() == dev.parma.policy.model.IdName.Strategy.NAME
                || c.user().user().strategy() == dev.parma.policy.model.IdName.Strategy.RE2) {
            notes.add("user names come from the image's /etc/passwd at run time and were not checked");
        }
        CapabilitySets requested = ContainerDerivation.capabilities(sc);
        CapabilitySets allowed = ContainerChecks.allowedCapabilities(c, sc.privileged());
        boolean dropping = policy.flags().allowCapabilityDropping()
                && policy.frameworkVersion().map(v -> v.atLeast(new Semver(0, 2, 2))).orElse(false);
        if (!capsOk(requested, allowed, dropping)) {
            p.add(new FieldProblem("securityContext.capabilities", capsDiff(requested, allowed)));
        }
        if (!c.seccompProfileSha256().isEmpty()) {
            p.add(new FieldProblem("seccompProfile", "the policy requires seccomp profile "
                    + c.seccompProfileSha256() + " but the container has none"));
        }
        return p;
    }

    private static boolean capsOk(CapabilitySets requested, CapabilitySets allowed, boolean dropping) {
        if (ContainerChecks.capabilitiesEqual(requested, allowed)) {
            return true;
        }
        if (!dropping) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            if (!requested.all().get(i).containsAll(allowed.all().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String capsDiff(CapabilitySets requested, CapabilitySets allowed) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Set<String> req = Set.copyOf(requested.all().get(i));
            Set<String> ok = Set.copyOf(allowed.all().get(i));
            String extra = req.stream().filter(x -> !ok.contains(x)).sorted().collect(Collectors.joining(","));
            String missing = ok.stream().filter(x -> !req.contains(x)).sorted().collect(Collectors.joining(","));
            if (!extra.isEmpty() || !missing.isEmpty()) {
                parts.add(CapabilitySets.SET_NAMES.get(i) + (extra.isEmpty() ? "" : " extra [" + extra + "]")
                        + (missing.isEmpty() ? "" : " missing [" + missing + "]"));
            }
        }
        return "capability sets differ from the policy: " + String.join("; ", parts);
    }

    static List<Request.Mount> requestMounts(ContainerSpec spec) {
        List<Request.Mount> out = new ArrayList<>();
        List<MountConstraint> derived = ContainerDerivation.mounts(spec);
        for (int i = 0; i < derived.size(); i++) {
            MountConstraint k = derived.get(i);
            String name = i < spec.mounts().size() ? spec.mounts().get(i).volumeName() : "resolvconf";
            String pattern = k.source().substring(MountConstraint.SANDBOX_PREFIX.length());
            out.add(new Request.Mount(k.destination(), SANDBOX_DIR + pattern.replace(".+", name), k.type(),
                    k.options()));
        }
        return out;
    }

    private static String describe(EnvRule r) {
        return r instanceof EnvRule.Whole w ? w.pattern() + " (" + w.strategy().wire() + ")" : r.toString();
    }

    private static String describeLayers(List<String> have, List<String> want) {
        long common = have.stream().filter(want::contains).count();
        return have.size() + " layer(s), " + common + " in common";
    }

    private static List<Container> sortByName(List<Container> pool, ContainerSpec spec) {
        return pool.stream().sorted(Comparator.comparing(c -> !c.name().equals(Optional.of(spec.name())))).toList();
    }

    private static Container closestByName(List<Container> pool, ContainerSpec spec) {
        return sortByName(pool, spec).get(0);
    }
}
