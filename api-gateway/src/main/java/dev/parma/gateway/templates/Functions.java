package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The pure template functions (no parameters, variables or deployment context): string, array, logical,
 * comparison, numeric and conversion functions, as ARM defines them. Arguments are evaluated JSON values.
 */
final class Functions {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Longest value (characters of text, or of a container's JSON) an expression may produce: ample for a
     * ccePolicy, and a small template cannot grow a string of megabytes by doubling or repeating one.
     */
    static final int MAX_VALUE = 1 << 20;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Functions() {
    }

    /** Returns the result, or null if {@code name} is not a pure function. */
    static JsonNode call(String name, List<JsonNode> a) {
        return switch (name) {
            case "concat" -> concat(a);
            case "format" -> format(a);
            case "tolower" -> text(str(arg(a, 0, 1, name)).toLowerCase(Locale.ROOT));
            case "toupper" -> text(str(arg(a, 0, 1, name)).toUpperCase(Locale.ROOT));
            case "trim" -> text(str(arg(a, 0, 1, name)).trim());
            case "equals" -> bool(equal(arg(a, 0, 2, name), a.get(1)));
            case "length" -> length(arg(a, 0, 1, name));
            case "empty" -> bool(empty(arg(a, 0, 1, name)));
            case "base64" ->
                text(Base64.getEncoder().encodeToString(str(arg(a, 0, 1, name)).getBytes(StandardCharsets.UTF_8)));
            case "base64tostring" ->
                text(new String(Base64.getDecoder().decode(str(arg(a, 0, 1, name))), StandardCharsets.UTF_8));
            case "string" -> text(asString(arg(a, 0, 1, name)));
            case "int" -> NODES.numberNode(toLong(arg(a, 0, 1, name)));
            case "bool" -> bool(toBool(arg(a, 0, 1, name)));
            case "json" -> json(str(arg(a, 0, 1, name)));
            case "not" -> bool(!truth(arg(a, 0, 1, name)));
            case "and" -> bool(a.size() >= 2 && a.stream().allMatch(Functions::truth));
            case "or" -> bool(a.size() >= 2 && a.stream().anyMatch(Functions::truth));
            case "contains" -> bool(contains(arg(a, 0, 2, name), a.get(1)));
            case "replace" -> replace(str(arg(a, 0, 3, name)), str(a.get(1)), str(a.get(2)));
            case "startswith" -> bool(str(arg(a, 0, 2, name)).toLowerCase(Locale.ROOT)
                    .startsWith(str(a.get(1)).toLowerCase(Locale.ROOT)));
            case "endswith" ->
                bool(str(arg(a, 0, 2, name)).toLowerCase(Locale.ROOT).endsWith(str(a.get(1)).toLowerCase(Locale.ROOT)));
            case "substring" -> substring(a);
            case "split" -> split(arg(a, 0, 2, name), a.get(1));
            case "createarray" -> NODES.arrayNode().addAll(a);
            case "createobject" -> createObject(a);
            case "first" -> first(arg(a, 0, 1, name), true);
            case "last" -> first(arg(a, 0, 1, name), false);
            case "add" -> NODES.numberNode(toLong(arg(a, 0, 2, name)) + toLong(a.get(1)));
            case "sub" -> NODES.numberNode(toLong(arg(a, 0, 2, name)) - toLong(a.get(1)));
            case "mul" -> NODES.numberNode(toLong(arg(a, 0, 2, name)) * toLong(a.get(1)));
            case "div" -> NODES.numberNode(toLong(arg(a, 0, 2, name)) / nonZero(toLong(a.get(1))));
            case "mod" -> NODES.numberNode(toLong(arg(a, 0, 2, name)) % nonZero(toLong(a.get(1))));
            case "less" -> bool(compare(arg(a, 0, 2, name), a.get(1)) < 0);
            case "lessorequals" -> bool(compare(arg(a, 0, 2, name), a.get(1)) <= 0);
            case "greater" -> bool(compare(arg(a, 0, 2, name), a.get(1)) > 0);
            case "greaterorequals" -> bool(compare(arg(a, 0, 2, name), a.get(1)) >= 0);
            case "uniquestring" -> text(uniqueString(strings(a, name)));
            case "guid" -> text(guid(strings(a, name)));
            case "true" -> bool(true);
            case "false" -> bool(false);
            case "null" -> NODES.nullNode();
            default -> null;
        };
    }

    static JsonNode arg(List<JsonNode> a, int i, int expected, String name) {
        if (a.size() != expected) {
            throw new IllegalArgumentException("the function '" + name + "' takes " + expected + " argument"
                    + (expected == 1 ? "" : "s") + ", not " + a.size());
        }
        return a.get(i);
    }

    static JsonNode text(String s) {
        return NODES.textNode(s);
    }

    static JsonNode bool(boolean b) {
        return NODES.booleanNode(b);
    }

    static String str(JsonNode n) {
        if (n == null || !n.isValueNode() || n.isNull()) {
            throw new IllegalArgumentException("expected a string, got " + describe(n));
        }
        return n.asText();
    }

    static String describe(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        return n.isObject()
                ? "an object"
                : n.isArray() ? "an array" : n.isTextual() ? "the string '" + n.asText() + "'" : n.toString();
    }

    static String asString(JsonNode n) {
        if (n.isContainerNode()) {
            return n.toString();
        }
        return n.isNull() ? "" : n.asText();
    }

    static long toLong(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            if (d.stripTrailingZeros().scale() <= 0) {
                return d.longValueExact();
            }
            throw new IllegalArgumentException(n + " is not an integer");
        }
        if (n.isTextual()) {
            try {
                return new BigDecimal(n.asText().trim()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("the string '" + n.asText() + "' is not an integer");
            }
        }
        throw new IllegalArgumentException("expected an integer, got " + describe(n));
    }

    static boolean toBool(JsonNode n) {
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) {
            return n.asText().equalsIgnoreCase("true");
        }
        if (n.isIntegralNumber()) {
            return n.asLong() != 0;
        }
        throw new IllegalArgumentException("expected a boolean, got " + describe(n));
    }

    static boolean truth(JsonNode n) {
        return toBool(n);
    }

    static long nonZero(long v) {
        if (v == 0) {
            throw new IllegalArgumentException("division by zero");
        }
        return v;
    }

    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return str(a).compareTo(str(b));
    }

    static JsonNode length(JsonNode n) {
        if (n.isTextual()) {
            return NODES.numberNode((long) n.asText().length());
        }
        if (n.isContainerNode()) {
            return NODES.numberNode((long) n.size());
        }
        throw new IllegalArgumentException("length() takes a string, an array or an object, got " + describe(n));
    }

    static boolean empty(JsonNode n) {
        return n.isNull() || (n.isTextual() && n.asText().isEmpty()) || (n.isContainerNode() && n.size() == 0);
    }

    static boolean contains(JsonNode container, JsonNode item) {
        if (container.isTextual()) {
            return container.asText().contains(str(item));
        }
        if (container.isObject()) {
            String key = str(item);
            for (var it = container.fieldNames(); it.hasNext();) {
                if (it.next().equalsIgnoreCase(key)) {
                    return true;
                }
            }
            return false;
        }
        if (container.isArray()) {
            for (JsonNode e : container) {
                if (equal(e, item)) {
                    return true;
                }
            }
            return false;
        }
        throw new IllegalArgumentException(
                "contains() takes a string, an array or an object, got " + describe(container));
    }

    static JsonNode concat(List<JsonNode> a) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("the function 'concat' takes at least one argument");
        }
        if (a.get(0).isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode n : a) {
                if (!n.isArray()) {
                    throw new IllegalArgumentException("concat() of arrays got " + describe(n));
                }
                out.addAll((ArrayNode) n);
            }
            return out;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : a) {
            if (n.isContainerNode()) {
                throw new IllegalArgumentException("concat() of strings got " + describe(n));
            }
            sb.append(n.isNull() ? "" : n.asText());
        }
        return text(sb.toString());
    }

    /** .NET composite formatting: {0}, {1,-5} and {0:N} are replaced (alignment and format specifiers ignored). */
    /** {@code s} with every {@code from} replaced, refused before it is built if it would be too long. */
    static JsonNode replace(String s, String from, String to) {
        long count = 0;
        if (from.isEmpty()) {
            count = s.length() + 1L; // Java inserts {@code to} around every character
        } else {
            for (int i = s.indexOf(from); i >= 0; i = s.indexOf(from, i + from.length())) {
                count++;
            }
        }
        if (s.length() + count * (to.length() - from.length()) > MAX_VALUE) {
            throw tooLong("replace");
        }
        return text(s.replace(from, to));
    }

    static IllegalArgumentException tooLong(String function) {
        return new IllegalArgumentException("the result of '" + function + "' would be longer than " + MAX_VALUE
                + " characters");
    }

    /**
     * The size of {@code n} (text length, or roughly its JSON's), counted only up to just over {@code limit}: a
     * large array of one shared value is not walked to its end.
     */
    static long size(JsonNode n, long limit) {
        if (n == null || !n.isContainerNode()) {
            return n == null ? 0 : n.isTextual() ? n.asText().length() + 2 : n.asText().length();
        }
        long total = 2;
        for (var it = n.elements(); it.hasNext() && total <= limit;) {
            total += size(it.next(), limit - total) + 1;
        }
        if (n.isObject()) {
            for (var it = n.fieldNames(); it.hasNext() && total <= limit;) {
                total += it.next().length() + 3;
            }
        }
        return total;
    }

    static JsonNode format(List<JsonNode> a) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("the function 'format' takes at least one argument");
        }
        String f = str(a.get(0));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == '{' && i + 1 < f.length() && f.charAt(i + 1) == '{') {
                out.append('{');
                i++;
            } else if (c == '}' && i + 1 < f.length() && f.charAt(i + 1) == '}') {
                out.append('}');
                i++;
            } else if (c == '{') {
                int end = f.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("the format string has an unclosed '{'");
                }
                String spec = f.substring(i + 1, end);
                String index = spec.split("[,:]", 2)[0].trim();
                int n;
                try {
                    n = Integer.parseInt(index);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'{" + spec + "}' is not a valid format item");
                }
                if (n + 1 >= a.size() || n < 0) {
                    throw new IllegalArgumentException("the format item {" + n + "} has no argument");
                }
                out.append(asString(a.get(n + 1)));
                if (out.length() > MAX_VALUE) {
                    throw tooLong("format");
                }
                i = end;
            } else {
                out.append(c);
            }
        }
        return text(out.toString());
    }

    static JsonNode substring(List<JsonNode> a) {
        if (a.size() < 2 || a.size() > 3) {
            throw new IllegalArgumentException("the function 'substring' takes 2 or 3 arguments");
        }
        String s = str(a.get(0));
        int start = (int) toLong(a.get(1));
        int len = a.size() == 3 ? (int) toLong(a.get(2)) : s.length() - start;
        if (start < 0 || len < 0 || start + len > s.length()) {
            throw new IllegalArgumentException(
                    "substring(" + start + ", " + len + ") is outside a string of length " + s.length());
        }
        return text(s.substring(start, start + len));
    }

    static JsonNode split(JsonNode s, JsonNode delim) {
        ArrayNode out = NODES.arrayNode();
        String d = str(delim);
        for (String part : str(s).split(java.util.regex.Pattern.quote(d), -1)) {
            out.add(part);
        }
        return out;
    }

    static JsonNode createObject(List<JsonNode> a) {
        if (a.size() % 2 != 0) {
            throw new IllegalArgumentException("createObject() takes key/value pairs");
        }
        ObjectNode o = NODES.objectNode();
        for (int i = 0; i < a.size(); i += 2) {
            o.set(str(a.get(i)), a.get(i + 1));
        }
        return o;
    }

    static JsonNode first(JsonNode n, boolean first) {
        if (n.isTextual()) {
            String s = n.asText();
            return text(s.isEmpty() ? "" : String.valueOf(first ? s.charAt(0) : s.charAt(s.length() - 1)));
        }
        if (n.isArray()) {
            return n.size() == 0 ? NODES.nullNode() : n.get(first ? 0 : n.size() - 1);
        }
        throw new IllegalArgumentException("expected a string or an array, got " + describe(n));
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException("json() got text that is not JSON");
        }
    }

    static List<String> strings(List<JsonNode> a, String name) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("the function '" + name + "' takes at least one argument");
        }
        return a.stream().map(Functions::str).toList();
    }

    /**
     * A deterministic 13-character base-32 hash of the arguments, like ARM's uniqueString. The hash function is
     * SHA-256, so the values differ from Azure's (which uses a 64-bit MurmurHash) but are stable here.
     */
    static String uniqueString(List<String> parts) {
        byte[] h = sha("SHA-256", String.join("-", parts));
        long v = ByteBuffer.wrap(h).getLong();
        char[] out = new char[13];
        for (int i = 0; i < 13; i++) {
            out[i] = BASE32[(int) ((v >>> (59 - 5 * i)) & 31)];
        }
        // 13 x 5 bits = 65 > 64: the last character takes the remaining low bits
        out[12] = BASE32[(int) (v & 31)];
        return new String(out);
    }

    /** A name-based (version 5) UUID of the arguments: deterministic, like ARM's guid(). */
    static String guid(List<String> parts) {
        byte[] h = sha("SHA-1", "parma-guid:" + String.join("-", parts));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong()).toString();
    }

    private static byte[] sha(String alg, String s) {
        try {
            return MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
