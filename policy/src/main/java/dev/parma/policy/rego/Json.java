package dev.parma.policy.rego;

import java.util.Map;

/**
 * Writes {@link Value}s as JSON the way confcom (Python {@code json.dumps}) does: compact separators or two-space
 * indentation, non-ASCII escaped as {@code \\uXXXX}. Key order is the object's own order; callers sort where the
 * generator sorts.
 */
public final class Json {

    private Json() {
    }

    /** Compact form: {@code {"a":1,"b":[true]}}. */
    public static String compact(Value v) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, v, -1, 0);
        return sb.toString();
    }

    /** Indented form (2 spaces), as confcom prints the fragments list. */
    public static String pretty(Value v) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, v, 2, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Value v, int indent, int depth) {
        if (v instanceof Value.Null) {
            sb.append("null");
        } else if (v instanceof Value.Bool b) {
            sb.append(b.value());
        } else if (v instanceof Value.Num n) {
            sb.append(n.value().toString());
        } else if (v instanceof Value.Str s) {
            quote(sb, s.value());
        } else if (v instanceof Value.Arr a) {
            writeArray(sb, a, indent, depth);
        } else if (v instanceof Value.Obj o) {
            writeObject(sb, o, indent, depth);
        } else if (v instanceof Value.Ref r) {
            sb.append(r.dotted());
        }
    }

    private static void writeArray(StringBuilder sb, Value.Arr a, int indent, int depth) {
        if (a.items().isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < a.items().size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            newline(sb, indent, depth + 1);
            write(sb, a.items().get(i), indent, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append(']');
    }

    private static void writeObject(StringBuilder sb, Value.Obj o, int indent, int depth) {
        if (o.members().isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Value> e : o.members().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, indent, depth + 1);
            quote(sb, e.getKey());
            sb.append(indent < 0 ? ":" : ": ");
            write(sb, e.getValue(), indent, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append('}');
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent >= 0) {
            sb.append('\n');
            sb.append(" ".repeat(indent * depth));
        }
    }

    /** JSON string quoting; escapes control and non-ASCII characters like Python's default {@code ensure_ascii}. */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
