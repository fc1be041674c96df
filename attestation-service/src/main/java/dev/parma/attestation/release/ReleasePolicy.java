package dev.parma.attestation.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.attestation.token.Authorities;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A secure-key-release policy in Azure Key Vault's grammar (key-management-policy-grammar.md), the subset we
 * implement: {@code {"version": "1.0.0", "anyOf" | "allOf": [ {"authority": "<iss>", "allOf" | "anyOf": [...]} ...]}}
 * where a condition is {@code {"claim": "<dot.path>", "equals": <value>}} or a nested anyOf/allOf. As in Microsoft's
 * examples, booleans and numbers may be written as strings ("false" equals false, "0" equals 0). A missing claim
 * fails its condition.
 *
 * <p>
 * A condition holds only for a token whose issuer is the {@code authority} of the nearest group that names one. New
 * policies must name one for every condition, as AKV's grammar does ({@link #requireAuthorities}); a policy stored
 * before that rule is evaluated as if it named the default authority (the provider's instance) where it names none.
 */
public final class ReleasePolicy {

    private sealed interface Node {
    }

    private record Equals(String claim, JsonNode value) implements Node {
    }

    private record Group(boolean all, String authority, List<Node> children, String path) implements Node {
    }

    private final Node root;

    private ReleasePolicy(Node root) {
        this.root = root;
    }

    /** Parses and checks the policy; the exception message names the JSON path of the problem. */
    public static ReleasePolicy parse(JsonNode policy) {
        if (policy == null || !policy.isObject()) {
            throw new IllegalArgumentException("release_policy must be a JSON object");
        }
        return new ReleasePolicy(group(policy, "release_policy", true));
    }

    private static Node group(JsonNode node, String path, boolean top) {
        boolean hasAll = node.has("allOf");
        boolean hasAny = node.has("anyOf");
        if (hasAll == hasAny) {
            throw new IllegalArgumentException(path + " must have exactly one of anyOf or allOf");
        }
        String authority = null;
        if (node.has("authority")) {
            if (!node.get("authority").isTextual()) {
                throw new IllegalArgumentException(path + ".authority must be a string");
            }
            authority = node.get("authority").asText();
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!List.of("allOf", "anyOf", "authority", "version").contains(f) || f.equals("version") && !top) {
                throw new IllegalArgumentException(path + "." + abbreviate(f) + " is not supported");
            }
        }
        String key = hasAll ? "allOf" : "anyOf";
        JsonNode list = node.get(key);
        if (!list.isArray() || list.isEmpty() || list.size() > 64) {
            throw new IllegalArgumentException(path + "." + key + " must be a non-empty array (at most 64 items)");
        }
        List<Node> children = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String p = path + "." + key + "[" + i + "]";
            if (!c.isObject()) {
                throw new IllegalArgumentException(p + " must be an object");
            }
            children.add(c.has("claim") ? condition(c, p) : group(c, p, false));
        }
        return new Group(hasAll, authority, children, path);
    }

    private static Node condition(JsonNode c, String path) {
        if (!c.get("claim").isTextual() || c.get("claim").asText().isEmpty()) {
            throw new IllegalArgumentException(path + ".claim must be a non-empty string");
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("claim") && !f.equals("equals")) {
                throw new IllegalArgumentException(path + "." + abbreviate(f)
                        + ": only the 'equals' operator is supported");
            }
        }
        JsonNode v = c.get("equals");
        if (v == null || !(v.isTextual() || v.isBoolean() || v.isNumber())) {
            throw new IllegalArgumentException(path + ".equals must be a string, boolean or number");
        }
        return new Equals(c.get("claim").asText(), v);
    }

    /**
     * Refuses (IllegalArgumentException naming the JSON path) a policy with a condition under no authority, or naming
     * an authority {@code allowed} does not accept.
     */
    public void requireAuthorities(Predicate<String> allowed, String allowedText) {
        require(root, null, allowed, allowedText);
    }

    private static void require(Node node, String inherited, Predicate<String> allowed, String allowedText) {
        if (node instanceof Group g) {
            if (g.authority() != null && !allowed.test(g.authority())) {
                throw new IllegalArgumentException(g.path() + ".authority '" + abbreviate(g.authority())
                        + "' is not an attestation instance whose tokens may release this key (" + allowedText + ")");
            }
            String authority = g.authority() != null ? g.authority() : inherited;
            for (Node child : g.children()) {
                if (child instanceof Equals && authority == null) {
                    throw new IllegalArgumentException(g.path() + " has no authority: name the attestation instance"
                            + " whose tokens may release this key (" + allowedText + ")");
                }
                require(child, authority, allowed, allowedText);
            }
        }
    }

    /**
     * Empty when a token of {@code issuer} with these claims satisfies the policy; otherwise why not, naming the
     * claim(s) or the authority. Conditions under no authority (stored before authorities were required) hold only for
     * tokens of {@code defaultAuthority}.
     */
    public Optional<String> check(Map<String, Object> claims, String issuer, String defaultAuthority) {
        return eval(root, claims, issuer, null, defaultAuthority);
    }

    private static Optional<String> eval(Node node, Map<String, Object> claims, String issuer, String authority,
            String defaultAuthority) {
        if (node instanceof Equals e) {
            if (authority == null && !Authorities.same(defaultAuthority, issuer)) {
                return Optional.of("the token's issuer is not " + defaultAuthority + ", the authority of a condition"
                        + " that names none");
            }
            Object got = lookup(claims, e.claim());
            if (got == null) {
                return Optional.of("claim '" + abbreviate(e.claim()) + "' is missing");
            }
            if (!matches(got, e.value())) {
                return Optional.of("claim '" + abbreviate(e.claim()) + "' is " + show(got) + ", the policy wants "
                        + abbreviate(e.value().toString()));
            }
            return Optional.empty();
        }
        Group g = (Group) node;
        if (g.authority() != null && !Authorities.same(g.authority(), issuer)) {
            return Optional.of("the token's issuer is not the authority " + abbreviate(g.authority()));
        }
        String inherited = g.authority() != null ? g.authority() : authority;
        List<String> failures = new ArrayList<>();
        for (Node child : g.children()) {
            Optional<String> f = eval(child, claims, issuer, inherited, defaultAuthority);
            if (g.all() && f.isPresent()) {
                return f;
            }
            if (!g.all() && f.isEmpty()) {
                return Optional.empty();
            }
            f.ifPresent(failures::add);
        }
        return g.all() ? Optional.empty() : Optional.of(String.join("; ", failures));
    }

    /** Dot paths into nested objects; arrays are not supported (the grammar says so). */
    static Object lookup(Map<String, Object> claims, String path) {
        Object direct = claims.get(path);
        if (direct != null) {
            return direct;
        }
        Object cur = claims;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    static boolean matches(Object got, JsonNode want) {
        if (got instanceof Map || got instanceof List) {
            return false;
        }
        String g = String.valueOf(got);
        String w = want.asText();
        if (g.equals(w)) {
            return true;
        }
        if (isBool(g) && isBool(w)) {
            return g.equalsIgnoreCase(w);
        }
        try {
            return new BigDecimal(g).compareTo(new BigDecimal(w)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isBool(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.equals("true") || l.equals("false");
    }

    private static String show(Object v) {
        return v instanceof String s ? "\"" + abbreviate(s) + "\"" : abbreviate(String.valueOf(v));
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
