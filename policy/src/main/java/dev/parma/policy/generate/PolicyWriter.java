package dev.parma.policy.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.parma.policy.Require;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExecProcess;
import dev.parma.policy.model.ExternalProcess;
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.IdName;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.Semver;
import dev.parma.policy.model.UserRule;
import dev.parma.policy.rego.Json;
import dev.parma.policy.rego.Value;

/**
 * Writes policy text in confcom's layout (azext_confcom customer_rego_policy.txt): versions, pretty fragments, one
 * compact line of containers with sorted keys, flags, delegations, reason. Deterministic: the same draft gives the
 * same bytes, hence the same HOST_DATA.
 */
public final class PolicyWriter {

    private static final List<String> POINTS_0_10 = List.of("mount_device", "unmount_device", "mount_overlay",
            "unmount_overlay", "create_container", "exec_in_container", "exec_external", "shutdown_container",
            "signal_container_process", "plan9_mount", "plan9_unmount", "get_properties", "dump_stacks",
            "runtime_logging", "load_fragment", "scratch_mount", "scratch_unmount");

    private PolicyWriter() {
    }

    /**
     * What to write.
     *
     * @param externalProcesses written only when non-empty (confcom never writes any)
     */
    public record Draft(Semver apiVersion, Semver frameworkVersion, List<FragmentRef> fragments,
            List<Container> containers, List<ExternalProcess> externalProcesses, Flags flags) {
        public Draft {
            Require.nonNull(apiVersion, "apiVersion");
            Require.nonNull(frameworkVersion, "frameworkVersion");
            fragments = Require.list(fragments, "fragments");
            containers = Require.list(containers, "containers");
            externalProcesses = Require.list(externalProcesses, "externalProcesses");
            Require.nonNull(flags, "flags");
        }
    }

    public static String write(Draft d) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("package policy\n\nimport future.keywords.every\nimport future.keywords.in\n\n");
        sb.append("api_version := \"").append(d.apiVersion()).append("\"\n");
        sb.append("framework_version := \"").append(d.frameworkVersion()).append("\"\n\n");
        sb.append("fragments := ").append(Json.pretty(arr(d.fragments().stream().map(PolicyWriter::fragment).toList())))
                .append("\n\n");
        sb.append("containers := ").append(Json.compact(arr(d.containers().stream().map(PolicyWriter::container)
                .toList()))).append("\n\n");
        if (!d.externalProcesses().isEmpty()) {
            sb.append("external_processes := ").append(Json.compact(arr(d.externalProcesses().stream()
                    .map(PolicyWriter::external).toList()))).append("\n\n");
        }
        Flags f = d.flags();
        flag(sb, "allow_properties_access", f.allowPropertiesAccess());
        flag(sb, "allow_dump_stacks", f.allowDumpStacks());
        flag(sb, "allow_runtime_logging", f.allowRuntimeLogging());
        flag(sb, "allow_environment_variable_dropping", f.allowEnvironmentVariableDropping());
        flag(sb, "allow_unencrypted_scratch", f.allowUnencryptedScratch());
        flag(sb, "allow_capability_dropping", f.allowCapabilityDropping());
        sb.append('\n');
        List<String> points = new ArrayList<>(POINTS_0_10);
        if (d.apiVersion().atLeast(new Semver(0, 11, 0))) {
            points.add("rw_mount_device");
        }
        for (String p : points) {
            sb.append(p).append(" := data.framework.").append(p).append('\n');
        }
        // confcom's template ends with two blank lines; HOST_DATA covers them.
        sb.append("\nreason := {\"errors\": data.framework.errors}\n\n\n");
        return sb.toString();
    }

    private static void flag(StringBuilder sb, String name, boolean v) {
        sb.append(name).append(" := ").append(v).append('\n');
    }

    static Value fragment(FragmentRef f) {
        Map<String, Value> m = new TreeMap<>();
        m.put("feed", str(f.feed()));
        m.put("includes", strs(f.includes()));
        m.put("issuer", str(f.issuer()));
        m.put("minimum_svn", str(f.minimumSvn()));
        return new Value.Obj(m);
    }

    /** A container object with confcom's sorted keys. */
    public static Value container(Container c) {
        Map<String, Value> m = new TreeMap<>();
        m.put("allow_elevated", Value.Bool.of(c.allowElevated()));
        m.put("allow_stdio_access", Value.Bool.of(c.allowStdioAccess()));
        m.put("capabilities", c.capabilities().map(PolicyWriter::caps).orElse(Value.Null.INSTANCE));
        m.put("command", c.command().<Value>map(PolicyWriter::strs).orElse(Value.Null.INSTANCE));
        m.put("env_rules", arr(c.envRules().stream().map(PolicyWriter::env).toList()));
        m.put("exec_processes", arr(c.execProcesses().stream().map(PolicyWriter::exec).toList()));
        c.id().ifPresent(id -> m.put("id", str(id)));
        m.put("layers", strs(c.layers()));
        m.put("mounts", arr(c.mounts().stream().map(PolicyWriter::mount).toList()));
        c.name().ifPresent(n -> m.put("name", str(n)));
        m.put("no_new_privileges", Value.Bool.of(c.noNewPrivileges()));
        m.put("seccomp_profile_sha256", str(c.seccompProfileSha256()));
        m.put("signals", arr(c.signals().stream().<Value>map(s -> Value.Num.of(s)).toList()));
        m.put("user", user(c.user()));
        m.put("working_dir", str(c.workingDir()));
        return new Value.Obj(m);
    }

    private static Value external(ExternalProcess p) {
        Map<String, Value> m = new TreeMap<>();
        m.put("allow_stdio_access", Value.Bool.of(p.allowStdioAccess()));
        m.put("command", strs(p.command()));
        m.put("env_rules", arr(p.envRules().stream().map(PolicyWriter::env).toList()));
        m.put("working_dir", str(p.workingDir()));
        return new Value.Obj(m);
    }

    private static Value caps(CapabilitySets c) {
        Map<String, Value> m = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            m.put(CapabilitySets.SET_NAMES.get(i), strs(c.all().get(i)));
        }
        return new Value.Obj(m);
    }

    private static Value env(EnvRule r) {
        Map<String, Value> m = new TreeMap<>();
        if (r instanceof EnvRule.Whole w) {
            m.put("pattern", str(w.pattern()));
            m.put("strategy", str(w.strategy().wire()));
        } else {
            EnvRule.Split s = (EnvRule.Split) r;
            m.put("name", str(s.name()));
            m.put("name_strategy", str(s.nameStrategy().wire()));
            m.put("value", str(s.value()));
            m.put("value_strategy", str(s.valueStrategy().wire()));
        }
        m.put("required", Value.Bool.of(r.required()));
        return new Value.Obj(m);
    }

    private static Value exec(ExecProcess e) {
        Map<String, Value> m = new TreeMap<>();
        m.put("command", strs(e.command()));
        m.put("signals", arr(e.signals().stream().<Value>map(s -> Value.Num.of(s)).toList()));
        return new Value.Obj(m);
    }

    private static Value mount(MountConstraint k) {
        Map<String, Value> m = new TreeMap<>();
        m.put("destination", str(k.destination()));
        m.put("options", strs(k.options()));
        m.put("source", str(k.source()));
        m.put("type", str(k.type()));
        return new Value.Obj(m);
    }

    private static Value user(UserRule u) {
        Map<String, Value> m = new TreeMap<>();
        m.put("group_idnames", arr(u.groups().stream().map(PolicyWriter::idName).toList()));
        m.put("umask", str(u.umask()));
        m.put("user_idname", idName(u.user()));
        return new Value.Obj(m);
    }

    private static Value idName(IdName i) {
        Map<String, Value> m = new TreeMap<>();
        m.put("pattern", str(i.pattern()));
        m.put("strategy", str(i.strategy().wire()));
        return new Value.Obj(m);
    }

    private static Value str(String s) {
        return new Value.Str(s);
    }

    private static Value.Arr strs(List<String> l) {
        return new Value.Arr(l.stream().<Value>map(Value.Str::new).toList());
    }

    private static Value.Arr arr(List<Value> l) {
        return new Value.Arr(l);
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
