package dev.parma.policy.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.parma.policy.rego.Position;
import dev.parma.policy.rego.RegoParser;
import dev.parma.policy.rego.Value;

/**
 * The pre-2025 JSON policy: {@code {"allow_all": bool, "containers": {"length": n, "elements": {"0": ...}}}}, where
 * every list is such a length/elements map. {@code allow_all: true} is the open door; otherwise the containers are
 * converted with hcsshim's defaults (stdio allowed, no_new_privileges false, any user, umask 0022, default caps).
 */
final class LegacyJsonDecoder {

    private LegacyJsonDecoder() {
    }

    static Policy decode(String text, byte[] bytes) {
        Field root = new Field(RegoParser.parseJson(text), "$", new Position(1, 1));
        boolean allowAll = root.member("allow_all").bool();
        Field containers = root.member("containers");
        List<Container> list = allowAll && lengthOf(containers) == 0
                ? List.of()
                : lengthPrefixed(containers, LegacyJsonDecoder::container);
        Map<String, RuleBinding> rules = new LinkedHashMap<>();
        for (String point : List.of("mount_device", "unmount_device", "mount_overlay", "unmount_overlay",
                "create_container", "exec_in_container", "exec_external", "shutdown_container",
                "signal_container_process", "plan9_mount", "plan9_unmount", "get_properties", "dump_stacks",
                "runtime_logging", "load_fragment", "scratch_mount", "scratch_unmount")) {
            rules.put(point,
                    allowAll ? new RuleBinding.Constant(allowResult(point)) : new RuleBinding.Framework(point));
        }
        return new Policy(allowAll ? PolicyForm.LEGACY_JSON_ALLOW_ALL : PolicyForm.LEGACY_JSON, "policy", List.of(),
                Optional.of(new Semver(0, 10, 0)), Optional.of(new Semver(0, 3, 0)), List.of(), list, List.of(),
                List.of(), allowAll ? Flags.ALL : new Flags(false, false, false, false, false, false, false), rules,
                Optional.of(ReasonRule.ERRORS), Map.of(), bytes);
    }

    private static Value.Obj allowResult(String point) {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("allowed", Value.Bool.TRUE);
        if (point.equals("create_container") || point.equals("exec_external")) {
            m.put("allow_stdio_access", Value.Bool.TRUE);
        }
        return new Value.Obj(m);
    }

    private static int lengthOf(Field f) {
        return f.member("length").integer();
    }

    /** Reads {@code {"length": n, "elements": {"0": ..., "n-1": ...}}}; the counts must agree. */
    private static <T> List<T> lengthPrefixed(Field f, Function<Field, T> item) {
        int n = lengthOf(f);
        Field elements = f.member("elements");
        if (elements.isNull()) {
            if (n != 0) {
                throw f.error("length " + n + " but elements is null");
            }
            return List.of();
        }
        if (elements.obj().members().size() != n) {
            throw f.error("length " + n + " but " + elements.obj().members().size() + " elements");
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(item.apply(elements.member(Integer.toString(i))));
        }
        return out;
    }

    private static Container container(Field f) {
        List<EnvRule> env = lengthPrefixed(f.member("env_rules"),
                r -> new EnvRule.Whole(r.member("rule").str(), strategy(r),
                        r.optMember("required").map(Field::bool).orElse(false)));
        List<MountConstraint> mounts = f.optMember("mounts")
                .map(m -> lengthPrefixed(m,
                        x -> new MountConstraint(x.member("destination").str(), x.member("source").str(),
                                x.member("type").str(), lengthPrefixed(x.member("options"), Field::str))))
                .orElse(List.of());
        return new Container(Optional.empty(), Optional.empty(), lengthPrefixed(f.member("layers"), Field::str),
                Optional.of(lengthPrefixed(f.member("command"), Field::str)), env, f.member("working_dir").str(),
                mounts, List.of(), List.of(), f.optMember("allow_elevated").map(Field::bool).orElse(false),
                f.optMember("allow_stdio_access").map(Field::bool).orElse(true), false, UserRule.DEFAULT,
                Optional.empty(), "");
    }

    private static MatchStrategy strategy(Field r) {
        try {
            return MatchStrategy.fromWire(r.member("strategy").str());
        } catch (IllegalArgumentException e) {
            throw r.error(e.getMessage());
        }
    }
}
