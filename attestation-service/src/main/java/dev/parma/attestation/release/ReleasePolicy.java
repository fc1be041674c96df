package dev.parma.attestation.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A secure-key-release policy in Azure Key Vault's grammar (key-management-policy-grammar.md), the subset we
 * implement: {@code {"version": "1.0.0", "anyOf" | "allOf": [ {"authority": "<iss>", "allOf" | "anyOf": [...]} ...]}}
 * where a condition is {@code {"claim": "<dot.path>", "equals": <value>}} or a nested anyOf/allOf. As in Microsoft's
 * examples, booleans and numbers may be written as strings ("false" equals false, "0" equals 0). A missing claim
 * fails its condition.
 */
public final class ReleasePolicy {

    private sealed interface Node {
    }

    private record Equals(String claim, JsonNode value) implements Node {
    }

    private record Group(boolean all, String authority, List<Node> children) implements Node {
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
                throw new IllegalArgumentException(path + "." + f + " is not supported");
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
        return new Group(hasAll, authority, children);
    }

    private static Node condition(JsonNode c, String path) {
        if (!c.get("claim").isTextual() || c.get("claim").asText().isEmpty()) {
            throw new IllegalArgumentException(path + ".claim must be a non-empty string");
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("claim") && !f.equals("equals")) {
                throw new IllegalArgumentException(path + "." + f + ": only the 'equals' operator is supported");
            }
        }
        JsonNode v = c.get("equals");
        if (v == null || !(v.isTextual() || v.isBoolean() || v.isNumber())) {
            throw new IllegalArgumentException(path + ".equals must be a string, boolean or number");
        }
        return new Equals(c.get("claim").asText(), v);
    }

    /** Empty when the claims satisfy the policy; otherwise why not, naming the claim(s). */
    public Optional<String> check(Map<String, Object> claims, String issuer) {
        return eval(root, claims, issuer);
    }

    private static Optional<String> eval(Node node, Map<String, Object> claims, String issuer) {
        if (node instanceof Equals e) {
            Object got = lookup(claims, e.claim());
            if (got == null) {
                return Optional.of("claim '" + e.claim() + "' is missing");
            }
            if (!matches(got, e.value())) {
                return Optional.of("claim '" + e.claim() + "' is " + show(got) + ", the policy wants " + e.value());
            }
            return Optional.empty();
        }
        Group g = (Group) node;
        if (g.authority() != null && !trim(g.authority()).equals(trim(issuer))) {
            return Optional.of("authority " + g.authority() + " is not this issuer");
        }
        List<String> failures = new ArrayList<>();
        for (Node child : g.children()) {
            Optional<String> f = eval(child, claims, issuer);
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
        return v instanceof String s
                ? "\"" + (s.length() > 100 ? s.substring(0, 100) + "…" : s) + "\""
                : String
                        .valueOf(v);
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
