package dev.parma.policy.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.parma.policy.Require;
import dev.parma.policy.model.LinuxDefaults;
import dev.parma.policy.rego.Json;
import dev.parma.policy.rego.RegoParser;
import dev.parma.policy.rego.Value;

/**
 * A structured denial like hcsshim's: {@code {"decision":"deny","input":…,"reason":…,"policyError":…,"truncated":…}}.
 * The input is redacted (env values, default capability sets) before it is ever stored here; the encoded form is
 * shrunk by dropping {@code reason.error_objects}, then {@code input}, then {@code reason}.
 *
 * @param input the redacted input, if not truncated
 * @param reason {@code {"errors":[…]}} or the no-reason string; empty once truncated
 * @param errors the framework's error list (kept even when the encoded reason is truncated)
 * @param policyError set when the policy itself could not be evaluated
 */
public record PolicyDecision(Optional<Value.Obj> input, Optional<Value> reason, List<String> errors,
        Optional<String> policyError, List<String> truncated) {

    /** hcsshim's guest passes 3 × 1024 characters as the maximum message length. */
    public static final int DEFAULT_MAX_LENGTH = 3 * 1024;

    public static final String NO_REASON = "Security policy is either not valid or did not provide a reason for "
            + "denial. Please check security policy or re-generate with tooling.";
    public static final String INVALID_POLICY = "Security policy is not valid. Please check security policy or "
            + "re-generate with tooling.";

    static final String START = "policyDecision< ";
    static final String END = " >policyDecision";

    public PolicyDecision {
        Require.nonNull(input, "input");
        Require.nonNull(reason, "reason");
        errors = Require.list(errors, "errors");
        Require.nonNull(policyError, "policyError");
        truncated = Require.list(truncated, "truncated");
    }

    public Value.Obj toValue() {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("decision", new Value.Str("deny"));
        input.ifPresent(i -> m.put("input", i));
        reason.ifPresent(r -> m.put("reason", r));
        policyError.ifPresent(e -> m.put("policyError", new Value.Str(e)));
        if (!truncated.isEmpty()) {
            m.put("truncated", new Value.Arr(truncated.stream().<Value>map(Value.Str::new).toList()));
        }
        return new Value.Obj(m);
    }

    public String toJson() {
        return Json.compact(toValue());
    }

    /** {@code <point> not allowed by policy: policyDecision< BASE64 >policyDecision}, at most {@code max} chars. */
    public String toErrorMessage(EnforcementPoint point, int max) {
        PolicyDecision d = this;
        String msg = d.format(point);
        while (msg.length() > max) {
            Optional<PolicyDecision> smaller = d.truncateOnce();
            if (smaller.isEmpty()) {
                break;
            }
            d = smaller.get();
            msg = d.format(point);
        }
        return msg;
    }

    private String format(EnforcementPoint point) {
        String b64 = Base64.getEncoder().encodeToString(toJson().getBytes(StandardCharsets.UTF_8));
        return point.ruleName() + " not allowed by policy: " + START + b64 + END;
    }

    /** Drops the next part in hcsshim's order: reason.error_objects, input, reason. */
    Optional<PolicyDecision> truncateOnce() {
        List<String> t = new ArrayList<>(truncated);
        if (reason.isPresent() && reason.get() instanceof Value.Obj o && o.get("error_objects") != null) {
            Map<String, Value> m = new LinkedHashMap<>(o.members());
            m.remove("error_objects");
            t.add("reason.error_objects");
            return Optional.of(new PolicyDecision(input, Optional.of(new Value.Obj(m)), errors, policyError, t));
        }
        if (input.isPresent()) {
            t.add("input");
            return Optional.of(new PolicyDecision(Optional.empty(), reason, errors, policyError, t));
        }
        if (reason.isPresent()) {
            t.add("reason");
            return Optional.of(new PolicyDecision(input, Optional.empty(), errors, policyError, t));
        }
        return Optional.empty();
    }

    /**
     * The inverse of {@link #toErrorMessage}: finds {@code policyDecision< … >policyDecision} in an error text and
     * decodes the JSON. Empty if the text carries none.
     */
    public static Optional<Value.Obj> extract(String errorText) {
        if (errorText == null) {
            return Optional.empty();
        }
        int s = errorText.indexOf(START.strip());
        int e = errorText.indexOf(END.strip(), Math.max(s, 0));
        if (s < 0 || e < 0) {
            return Optional.empty();
        }
        String b64 = errorText.substring(s + START.strip().length(), e).strip();
        try {
            Value v = RegoParser.parseJson(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
            return v instanceof Value.Obj o ? Optional.of(o) : Optional.empty();
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    /**
     * Redaction before anything leaves the engine: every {@code envList} entry becomes {@code NAME=<<redacted>>};
     * capability sets equal to the defaults become {@code "[privileged]"} / {@code "[unprivileged]"}.
     */
    static Value.Obj redact(Value.Obj input) {
        Map<String, Value> m = new LinkedHashMap<>(input.members());
        if (m.get("envList") instanceof Value.Arr env) {
            List<Value> r = new ArrayList<>(env.items().size());
            for (Value v : env.items()) {
                String s = v instanceof Value.Str str ? str.value() : "";
                int eq = s.indexOf('=');
                r.add(new Value.Str((eq >= 0 ? s.substring(0, eq) : s) + "=<<redacted>>"));
            }
            m.put("envList", new Value.Arr(r));
        }
        if (m.get("capabilities") instanceof Value.Obj caps) {
            if (sameSets(caps, LinuxDefaults.PRIVILEGED.all())) {
                m.put("capabilities", new Value.Str("[privileged]"));
            } else if (sameSets(caps, LinuxDefaults.UNPRIVILEGED.all())) {
                m.put("capabilities", new Value.Str("[unprivileged]"));
            }
        }
        return new Value.Obj(m);
    }

    private static boolean sameSets(Value.Obj caps, List<List<String>> expected) {
        List<String> names = dev.parma.policy.model.CapabilitySets.SET_NAMES;
        for (int i = 0; i < 5; i++) {
            if (!(caps.get(names.get(i)) instanceof Value.Arr a) || a.items().size() != expected.get(i).size()) {
                return false;
            }
            var have = new HashSet<String>();
            for (Value v : a.items()) {
                if (v instanceof Value.Str s) {
                    have.add(s.value());
                }
            }
            if (!have.equals(new HashSet<>(expected.get(i)))) {
                return false;
            }
        }
        return true;
    }
}
