package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.IdName;
import dev.parma.policy.model.LinuxDefaults;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.UserRule;

/**
 * The per-container checks of create_container and exec_in_container (framework 0.3.0 with anchored RE2). Each
 * answers for one candidate so that both the engine (narrowing) and pre-flight (explaining) use the same logic.
 */
public final class ContainerChecks {

    private ContainerChecks() {
    }

    /** argv equals the policy command element-wise; a {@code null} policy command matches nothing. */
    public static boolean commandOk(Container c, List<String> argList) {
        return c.command().isPresent() && c.command().get().equals(argList);
    }

    public static boolean workingDirOk(Container c, String workingDir) {
        return c.workingDir().equals(workingDir);
    }

    /** Policy true requires the request to set no_new_privileges; policy false accepts both. */
    public static boolean noNewPrivilegesOk(Container c, boolean requested) {
        return !c.noNewPrivileges() || requested;
    }

    public static boolean privilegedOk(Container c, boolean privileged) {
        return !privileged || c.allowElevated();
    }

    public static boolean seccompOk(Container c, String hash) {
        return c.seccompProfileSha256().equals(hash);
    }

    /** umask equal, user matches, every requested group matches some group rule. */
    public static boolean userOk(UserRule rule, Request.IdNameValue user, List<Request.IdNameValue> groups,
            String umask) {
        if (!rule.umask().equals(umask) || !idNameOk(rule.user(), user)) {
            return false;
        }
        for (Request.IdNameValue g : groups) {
            boolean any = false;
            for (IdName r : rule.groups()) {
                if (idNameOk(r, g)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    static boolean idNameOk(IdName rule, Request.IdNameValue v) {
        return switch (rule.strategy()) {
            case ANY -> true;
            case ID -> rule.pattern().equals(v.id());
            case NAME -> rule.pattern().equals(v.name());
            case RE2 -> Patterns.fullMatch(rule.pattern(), v.name());
        };
    }

    // ---- environment ----

    public static boolean envMatches(EnvRule rule, String env) {
        if (rule instanceof EnvRule.Whole w) {
            return w.strategy() == MatchStrategy.STRING
                    ? w.pattern().equals(env)
                    : Patterns.fullMatch(w.pattern(), env);
        }
        EnvRule.Split s = (EnvRule.Split) rule;
        int eq = env.indexOf('=');
        if (eq < 0) {
            return false;
        }
        return part(s.nameStrategy(), s.name(), env.substring(0, eq))
                && part(s.valueStrategy(), s.value(), env.substring(eq + 1));
    }

    private static boolean part(MatchStrategy st, String pattern, String s) {
        return st == MatchStrategy.STRING ? pattern.equals(s) : Patterns.fullMatch(pattern, s);
    }

    public static boolean envMatchesAny(List<EnvRule> rules, String env) {
        return EnvMatcher.of(rules).matchesAny(env);
    }

    /** The entries no rule matches. */
    public static List<String> unmatchedEnv(List<EnvRule> rules, List<String> envList) {
        EnvMatcher m = EnvMatcher.of(rules);
        List<String> bad = new ArrayList<>();
        for (String e : envList) {
            if (!m.matchesAny(e)) {
                bad.add(e);
            }
        }
        return bad;
    }

    /** Required rules no entry matches. */
    public static List<EnvRule> missingRequired(List<EnvRule> rules, List<String> envList) {
        List<EnvRule> missing = new ArrayList<>();
        for (EnvRule r : rules) {
            if (!r.required()) {
                continue;
            }
            boolean hit = false;
            for (String e : envList) {
                if (envMatches(r, e)) {
                    hit = true;
                    break;
                }
            }
            if (!hit) {
                missing.add(r);
            }
        }
        return missing;
    }

    public static boolean envOk(List<EnvRule> rules, List<String> envList) {
        EnvMatcher m = EnvMatcher.of(rules);
        for (String e : envList) {
            if (!m.matchesAny(e)) {
                return false;
            }
        }
        return missingRequired(rules, envList).isEmpty();
    }

    /** The variables a candidate would keep when dropping is allowed. */
    static List<String> keptEnv(List<EnvRule> rules, List<String> envList) {
        EnvMatcher m = EnvMatcher.of(rules);
        List<String> kept = new ArrayList<>(envList.size());
        for (String e : envList) {
            if (m.matchesAny(e)) {
                kept.add(e);
            }
        }
        return kept;
    }

    // ---- mounts ----

    /**
     * Mounts matching no constraint of the container, nor the defaults, nor (privileged request to an elevated
     * container) the privileged mounts, nor the guest's networking bind mounts.
     *
     * @param p9ForContainer plan9 targets registered for this container ID
     */
    public static List<Request.Mount> unmatchedMounts(Container c, List<Request.Mount> mounts, String sandboxDir,
            String hugePagesDir, boolean privileged, Set<String> p9ForContainer) {
        return unmatchedMounts(c, mounts, sandboxDir, hugePagesDir, privileged, p9ForContainer, false);
    }

    /** As above; for the pod sandbox (pause) container the read-write /sys sysfs mount is also accepted. */
    public static List<Request.Mount> unmatchedMounts(Container c, List<Request.Mount> mounts, String sandboxDir,
            String hugePagesDir, boolean privileged, Set<String> p9ForContainer, boolean sandboxContainer) {
        List<Request.Mount> bad = new ArrayList<>();
        for (Request.Mount m : mounts) {
            if (!(sandboxContainer && sandboxSysfs(m))
                    && !mountOk(c, m, sandboxDir, hugePagesDir, privileged, p9ForContainer)) {
                bad.add(m);
            }
        }
        return bad;
    }

    private static final MountConstraint SANDBOX_SYSFS = new MountConstraint("/sys", "sysfs", "sysfs",
            List.of("nosuid", "noexec", "nodev", "rw"));

    /** containerd 2 mounts /sys read-write into the pause container; hcsshim accepts exactly this mount for it. */
    static boolean sandboxSysfs(Request.Mount m) {
        return constraintOk(SANDBOX_SYSFS, m, "", "", Set.of());
    }

    static boolean mountOk(Container c, Request.Mount m, String sandboxDir, String hugePagesDir, boolean privileged,
            Set<String> p9) {
        for (MountConstraint k : c.mounts()) {
            if (constraintOk(k, m, sandboxDir, hugePagesDir, p9)) {
                return true;
            }
        }
        for (MountConstraint k : LinuxDefaults.DEFAULT_MOUNTS) {
            if (constraintOk(k, m, sandboxDir, hugePagesDir, p9)) {
                return true;
            }
        }
        if (privileged && c.allowElevated()) {
            for (MountConstraint k : LinuxDefaults.PRIVILEGED_MOUNTS) {
                if (constraintOk(k, m, sandboxDir, hugePagesDir, p9)) {
                    return true;
                }
            }
        }
        return networkingMountOk(m, sandboxDir);
    }

    /**
     * The guest extends the defaults per container with bind mounts of hostname, hosts and resolv.conf from the
     * sandbox root (the parent of sandboxDir).
     */
    static boolean networkingMountOk(Request.Mount m, String sandboxDir) {
        if (!m.type().equals("bind") || !LinuxDefaults.NETWORKING_FILES.contains(m.destination())) {
            return false;
        }
        int slash = sandboxDir.lastIndexOf('/');
        if (slash <= 0) {
            return false;
        }
        String root = sandboxDir.substring(0, slash);
        String file = m.destination().substring("/etc/".length());
        Set<String> opts = new HashSet<>(m.options());
        return m.source().equals(root + "/" + file) && m.options().size() == 2 && opts.contains("bind")
                && (opts.contains("rw") || opts.contains("ro"));
    }

    static boolean constraintOk(MountConstraint k, Request.Mount m, String sandboxDir, String hugePagesDir,
            Set<String> p9) {
        if (!k.type().equals(m.type()) || m.destination().isEmpty() || !k.destination().equals(m.destination())
                || k.options().size() != m.options().size()
                || !k.options().equals(m.options()) && !new HashSet<>(k.options()).equals(new HashSet<>(m.options()))) {
            return false;
        }
        String src = k.source();
        if (src.startsWith(MountConstraint.SANDBOX_PREFIX)) {
            return Patterns.underDir(sandboxDir, src.substring(MountConstraint.SANDBOX_PREFIX.length()), m.source());
        }
        if (src.startsWith(MountConstraint.HUGEPAGES_PREFIX)) {
            return Patterns.underDir(hugePagesDir, src.substring(MountConstraint.HUGEPAGES_PREFIX.length()),
                    m.source());
        }
        if (src.startsWith(MountConstraint.PLAN9_PREFIX)) {
            return p9.contains(m.source());
        }
        return src.equals(m.source());
    }

    // ---- capabilities ----

    /** The policy's sets, or the guest defaults when the policy has {@code capabilities: null}. */
    public static CapabilitySets allowedCapabilities(Container c, boolean privileged) {
        if (c.capabilities().isPresent()) {
            return c.capabilities().get();
        }
        return privileged && c.allowElevated() ? LinuxDefaults.PRIVILEGED : LinuxDefaults.UNPRIVILEGED;
    }

    /** Same count and mutual containment for each of the five sets. */
    public static boolean capabilitiesEqual(CapabilitySets a, CapabilitySets b) {
        List<List<String>> x = a.all();
        List<List<String>> y = b.all();
        for (int i = 0; i < 5; i++) {
            if (!sameSet(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Per set: the requested capabilities that are also allowed, in request order. */
    static CapabilitySets intersect(CapabilitySets requested, CapabilitySets allowed) {
        List<List<String>> out = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            Set<String> ok = new HashSet<>(allowed.all().get(i));
            List<String> kept = new ArrayList<>();
            for (String cap : requested.all().get(i)) {
                if (ok.contains(cap)) {
                    kept.add(cap);
                }
            }
            out.add(kept);
        }
        return CapabilitySets.of(out);
    }

    static int total(CapabilitySets s) {
        int n = 0;
        for (List<String> l : s.all()) {
            n += l.size();
        }
        return n;
    }

    static boolean sameSet(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String s : a) {
            counts.merge(s, 1, Integer::sum);
        }
        for (String s : b) {
            Integer n = counts.get(s);
            if (n == null) {
                return false;
            }
        }
        return new HashSet<>(a).equals(new HashSet<>(b));
    }
}
