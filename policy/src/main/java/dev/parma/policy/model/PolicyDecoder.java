package dev.parma.policy.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.parma.policy.rego.PolicySyntaxException;
import dev.parma.policy.rego.Position;
import dev.parma.policy.rego.RegoModule;
import dev.parma.policy.rego.RegoParser;
import dev.parma.policy.rego.Value;

/**
 * Turns parsed Rego (or legacy JSON) into the {@link Policy} model, checking every field's type. Data references are
 * accepted only where the generated form has them: as {@code point := data.framework.point} and in the reason rule.
 */
public final class PolicyDecoder {

    /** Rule names of hcsshim's api.rego (all platforms and versions): bindings to these are enforcement points. */
    public static final Set<String> KNOWN_RULES = Set.of("mount_device", "unmount_device", "mount_overlay",
            "unmount_overlay", "create_container", "exec_in_container", "exec_external", "shutdown_container",
            "signal_container_process", "plan9_mount", "plan9_unmount", "get_properties", "dump_stacks",
            "runtime_logging", "load_fragment", "scratch_mount", "scratch_unmount", "registry_changes",
            "rw_mount_device", "rw_unmount_device", "mount_cims", "log_provider", "mount_blockdev",
            "unmount_blockdev", "load_transparency_trust_list", "host_network");

    /**
     * api.rego's points that only a Windows guest calls (CIM layers, registry changes, ETW log providers). This
     * engine guards Linux guests: a policy that binds one is refused by name rather than loaded with a rule we would
     * silently never apply.
     */
    public static final Set<String> WINDOWS_ONLY_RULES = Set.of("mount_cims", "registry_changes", "log_provider");

    private static final Set<String> RESERVED_NAMESPACES = Set.of("framework", "api", "policy", "metadata");

    private PolicyDecoder() {
    }

    /** Reads policy bytes (UTF-8 Rego, or legacy JSON when the first non-blank character is '{'). */
    public static Policy decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.strip().startsWith("{")) {
            return LegacyJsonDecoder.decode(text, bytes);
        }
        RegoModule module = RegoParser.parse(text);
        if (!module.packageName().equals("policy")) {
            throw new PolicySyntaxException(new Position(1, 1),
                    "a policy must be 'package policy', found '" + module.packageName() + "'");
        }
        return fromModule(module, bytes);
    }

    /** Reads a fragment's Rego payload; its package is the namespace and must not be a reserved one. */
    public static Fragment decodeFragment(String text) {
        RegoModule m = RegoParser.parse(text);
        if (RESERVED_NAMESPACES.contains(m.packageName())) {
            throw new PolicySyntaxException(new Position(1, 1),
                    "fragment namespace '" + m.packageName() + "' is reserved");
        }
        Map<String, RegoModule.Binding> b = m.bindings();
        for (RegoModule.Binding binding : b.values()) {
            rejectRefs(binding);
        }
        RegoModule.Binding svn = b.get("svn");
        if (svn == null) {
            throw new PolicySyntaxException(new Position(1, 1), "fragment has no 'svn'");
        }
        Optional<Semver> fw = version(b, "framework_version", "framework_svn");
        return new Fragment(m.packageName(), field(svn).stringOrNumber(), fw,
                optList(b, "containers", f -> container(f, fw)), optList(b, "fragments", PolicyDecoder::fragmentRef),
                optList(b, "external_processes", PolicyDecoder::externalProcess));
    }

    static Policy fromModule(RegoModule m, byte[] bytes) {
        Map<String, RegoModule.Binding> b = m.bindings();
        Map<String, RuleBinding> rules = new LinkedHashMap<>();
        Map<String, Value> other = new LinkedHashMap<>();
        Optional<ReasonRule> reason = Optional.empty();
        for (RegoModule.Binding binding : b.values()) {
            String name = binding.name();
            if (WINDOWS_ONLY_RULES.contains(name)) {
                throw new PolicySyntaxException(binding.namePosition(), "'" + name + "' is a Windows-only "
                        + "enforcement point; this engine enforces policies for Linux container groups");
            }
            if (KNOWN_RULES.contains(name)) {
                rules.put(name, rule(binding));
            } else if (name.equals("reason")) {
                reason = Optional.of(reason(binding));
            } else if (binding.value() instanceof Value.Ref ref) {
                rules.put(name, delegation(binding, ref));
            } else {
                rejectRefs(binding);
                other.put(name, binding.value());
            }
        }
        Optional<Semver> api = version(b, "api_version", "api_svn");
        Optional<Semver> fw = version(b, "framework_version", "framework_svn");
        Flags flags = new Flags(flag(b, "allow_properties_access"), flag(b, "allow_dump_stacks"),
                flag(b, "allow_runtime_logging"), flag(b, "allow_environment_variable_dropping"),
                flag(b, "allow_unencrypted_scratch"), flag(b, "allow_capability_dropping"),
                flag(b, "allow_host_network"));
        return new Policy(PolicyForm.REGO, m.packageName(), m.imports(), api, fw,
                optList(b, "fragments", PolicyDecoder::fragmentRef), optList(b, "containers", f -> container(f, fw)),
                optList(b, "external_processes", PolicyDecoder::externalProcess),
                optList(b, "transparency_trust_lists", PolicyDecoder::transparencyTrustList), flags, rules, reason,
                other, bytes);
    }

    private static RuleBinding rule(RegoModule.Binding binding) {
        Value v = binding.value();
        if (v instanceof Value.Ref ref) {
            return delegation(binding, ref);
        }
        if (v instanceof Value.Obj o) {
            rejectRefs(binding);
            if (!(o.get("allowed") instanceof Value.Bool)) {
                throw new PolicySyntaxException(binding.valuePosition(),
                        binding.name() + ": a constant result needs a boolean \"allowed\"");
            }
            return new RuleBinding.Constant(o);
        }
        throw new PolicySyntaxException(binding.valuePosition(), binding.name()
                + ": expected data.framework." + binding.name() + " or a result object, found " + v.kind());
    }

    private static RuleBinding delegation(RegoModule.Binding binding, Value.Ref ref) {
        List<String> p = ref.path();
        if (p.size() != 3 || !p.get(0).equals("data") || !p.get(1).equals("framework")
                || !p.get(2).equals(binding.name())) {
            throw new PolicySyntaxException(binding.valuePosition(), "unsupported reference '" + ref.dotted()
                    + "': '" + binding.name() + "' may only delegate to data.framework." + binding.name());
        }
        return new RuleBinding.Framework(binding.name());
    }

    private static ReasonRule reason(RegoModule.Binding binding) {
        Value v = binding.value();
        if (v instanceof Value.Ref r && r.dotted().equals("data.framework.reason")) {
            return ReasonRule.FRAMEWORK_REASON;
        }
        if (v instanceof Value.Obj o && isRef(o.get("errors"), "data.framework.errors")) {
            if (o.members().size() == 1) {
                return ReasonRule.ERRORS;
            }
            if (o.members().size() == 2 && isRef(o.get("error_objects"), "data.framework.error_objects")) {
                return ReasonRule.ERRORS_AND_ERROR_OBJECTS;
            }
        }
        throw new PolicySyntaxException(binding.valuePosition(), "unsupported reason rule: expected "
                + "{\"errors\": data.framework.errors}, {\"errors\": data.framework.errors, \"error_objects\": "
                + "data.framework.error_objects} or data.framework.reason");
    }

    private static boolean isRef(Value v, String dotted) {
        return v instanceof Value.Ref r && r.dotted().equals(dotted);
    }

    private static void rejectRefs(RegoModule.Binding binding) {
        Optional<Value.Ref> ref = findRef(binding.value());
        if (ref.isPresent()) {
            throw new PolicySyntaxException(binding.valuePosition(), "unsupported reference '" + ref.get().dotted()
                    + "' in '" + binding.name() + "': only enforcement points and reason may reference data");
        }
    }

    private static Optional<Value.Ref> findRef(Value v) {
        if (v instanceof Value.Ref r) {
            return Optional.of(r);
        }
        if (v instanceof Value.Arr a) {
            for (Value i : a.items()) {
                Optional<Value.Ref> r = findRef(i);
                if (r.isPresent()) {
                    return r;
                }
            }
        }
        if (v instanceof Value.Obj o) {
            for (Value i : o.members().values()) {
                Optional<Value.Ref> r = findRef(i);
                if (r.isPresent()) {
                    return r;
                }
            }
        }
        return Optional.empty();
    }

    private static Field field(RegoModule.Binding b) {
        return new Field(b.value(), b.name(), b.valuePosition());
    }

    private static Optional<Semver> version(Map<String, RegoModule.Binding> b, String name, String deprecated) {
        RegoModule.Binding v = b.containsKey(name) ? b.get(name) : b.get(deprecated);
        return v == null ? Optional.empty() : Optional.of(field(v).semver());
    }

    private static boolean flag(Map<String, RegoModule.Binding> b, String name) {
        RegoModule.Binding v = b.get(name);
        return v != null && field(v).bool();
    }

    private static <T> List<T> optList(Map<String, RegoModule.Binding> b, String name,
            java.util.function.Function<Field, T> f) {
        RegoModule.Binding v = b.get(name);
        return v == null ? List.of() : field(v).list(f);
    }

    static FragmentRef fragmentRef(Field f) {
        return new FragmentRef(f.member("issuer").str(), f.member("feed").str(),
                f.member("minimum_svn").stringOrNumber(), f.member("includes").strings());
    }

    static TransparencyTrustList transparencyTrustList(Field f) {
        return new TransparencyTrustList(f.member("issuer").str(), f.member("subject").str(),
                f.member("minimum_svn").stringOrNumber(), f.member("allowed_ledgers").strings());
    }

    static ExternalProcess externalProcess(Field f) {
        return new ExternalProcess(f.member("command").strings(), f.member("env_rules").list(PolicyDecoder::envRule),
                f.member("working_dir").str(),
                f.optMember("allow_stdio_access").map(Field::bool).orElse(false));
    }

    /**
     * Fields that frameworks added later are replaced by their defaults when the policy's framework predates them
     * (as hcsshim's check_container does), and read as defaults when missing (older confcom output omits them).
     */
    static Container container(Field f, Optional<Semver> framework) {
        Semver fw = framework.orElse(new Semver(0, 0, 0));
        Optional<List<String>> command = f.member("command").isNull()
                ? Optional.empty()
                : Optional.of(f.member("command").strings());
        boolean nnp = fw.atLeast(new Semver(0, 2, 0))
                && f.optMember("no_new_privileges").map(Field::bool).orElse(false);
        UserRule user = fw.atLeast(new Semver(0, 2, 1))
                ? f.optMember("user").map(PolicyDecoder::user).orElse(UserRule.DEFAULT)
                : UserRule.DEFAULT;
        Optional<CapabilitySets> caps = fw.atLeast(new Semver(0, 2, 2))
                ? f.optMember("capabilities").filter(c -> !c.isNull()).map(PolicyDecoder::capabilities)
                : Optional.empty();
        String seccomp = fw.atLeast(new Semver(0, 2, 3))
                ? f.optMember("seccomp_profile_sha256").map(Field::str).orElse("")
                : "";
        return new Container(f.optMember("name").map(Field::str), f.optMember("id").map(Field::str),
                f.member("layers").strings(), command, f.member("env_rules").list(PolicyDecoder::envRule),
                f.member("working_dir").str(), f.member("mounts").list(PolicyDecoder::mount),
                f.member("exec_processes").list(PolicyDecoder::execProcess),
                f.member("signals").list(Field::integer), f.member("allow_elevated").bool(),
                f.optMember("allow_stdio_access").map(Field::bool).orElse(true), nnp, user, caps, seccomp);
    }

    static EnvRule envRule(Field f) {
        boolean required = f.optMember("required").map(Field::bool).orElse(false);
        try {
            if (f.optMember("pattern").isPresent()) {
                return new EnvRule.Whole(f.member("pattern").str(),
                        MatchStrategy.fromWire(f.member("strategy").str()), required);
            }
            return new EnvRule.Split(f.member("name").str(), MatchStrategy.fromWire(f.member("name_strategy").str()),
                    f.member("value").str(), MatchStrategy.fromWire(f.member("value_strategy").str()), required);
        } catch (PolicySyntaxException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw f.error(e.getMessage());
        }
    }

    static MountConstraint mount(Field f) {
        return new MountConstraint(f.member("destination").str(), f.member("source").str(), f.member("type").str(),
                f.member("options").strings());
    }

    static ExecProcess execProcess(Field f) {
        return new ExecProcess(f.member("command").strings(),
                f.optMember("signals").map(s -> s.list(Field::integer)).orElse(List.of()));
    }

    static UserRule user(Field f) {
        return new UserRule(idName(f.member("user_idname")), f.member("group_idnames").list(PolicyDecoder::idName),
                f.member("umask").str());
    }

    static IdName idName(Field f) {
        try {
            return new IdName(f.member("pattern").str(), IdName.Strategy.fromWire(f.member("strategy").str()));
        } catch (PolicySyntaxException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw f.error(e.getMessage());
        }
    }

    static CapabilitySets capabilities(Field f) {
        List<List<String>> sets = new ArrayList<>(5);
        for (String name : CapabilitySets.SET_NAMES) {
            sets.add(f.member(name).strings());
        }
        return CapabilitySets.of(sets);
    }
}
