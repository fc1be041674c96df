package dev.parma.policy.rego;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.parma.policy.Require;

/**
 * Reads the subset of Rego that policy generators emit: {@code package}, {@code import future.keywords...}, comments
 * and {@code name := term} where a term is JSON (trailing commas allowed, as hcsshim's marshaller writes them), a raw
 * string, or a {@code data.} reference. Everything else (rule bodies, {@code default}, {@code =}, sets, operators,
 * comprehensions) is rejected with its line and column: we implement the framework natively, so a custom rule would
 * otherwise be silently ignored.
 */
public final class RegoParser {

    private static final Set<String> ALLOWED_IMPORTS = Set.of("future.keywords", "future.keywords.every",
            "future.keywords.in", "future.keywords.if", "future.keywords.contains", "rego.v1");

    private final String src;
    private final int[] lineStarts;
    private int pos;

    private RegoParser(String src) {
        this.src = src;
        this.lineStarts = lineStarts(src);
    }

    /** Parses a module; throws {@link PolicySyntaxException} naming line and column on anything unsupported. */
    public static RegoModule parse(String text) {
        Require.nonNull(text, "policy text");
        return new RegoParser(text).module();
    }

    /** Parses a single JSON document (trailing commas tolerated, no references) such as a legacy JSON policy. */
    public static Value parseJson(String text) {
        Require.nonNull(text, "json text");
        RegoParser p = new RegoParser(text);
        p.skipSpace();
        Value v = p.term(false);
        p.skipSpace();
        if (p.pos < p.src.length()) {
            throw p.error(p.pos, "unexpected '" + p.src.charAt(p.pos) + "' after the JSON document");
        }
        return v;
    }

    private RegoModule module() {
        skipSpace();
        int start = pos;
        if (!keyword("package")) {
            throw error(start,
                    eof() ? "empty policy: expected 'package'" : "expected 'package' as the first statement");
        }
        requireInlineSpace("package");
        String pkg = dottedPath("package name");
        endOfStatement("package");
        List<String> imports = new ArrayList<>();
        Map<String, RegoModule.Binding> bindings = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (eof()) {
                break;
            }
            int stmt = pos;
            if (keyword("import")) {
                requireInlineSpace("import");
                int pathAt = pos;
                String path = dottedPath("import path");
                if (!ALLOWED_IMPORTS.contains(path)) {
                    throw error(pathAt,
                            "unsupported import '" + path + "': only future.keywords and rego.v1 are allowed");
                }
                imports.add(path);
                endOfStatement("import");
                continue;
            }
            if (keyword("default")) {
                throw error(stmt, "unsupported construct: 'default' rule (custom rules are not supported)");
            }
            if (!identStart(peek())) {
                throw error(stmt, "unexpected '" + peek() + "': expected a binding 'name := value'");
            }
            String name = identifier();
            Position namePos = position(stmt);
            skipInlineSpace();
            int opAt = pos;
            if (src.startsWith(":=", pos)) {
                pos += 2;
            } else if (peek() == '=' || src.startsWith("==", pos)) {
                throw error(opAt, "unsupported construct: '" + name + " =' rule (only 'name := value' is supported)");
            } else if (peek() == '{' || peek() == '[' || peek() == '(' || peek() == '.') {
                throw error(opAt, "unsupported construct: custom rule body or rule arguments for '" + name + "'");
            } else if (identStart(peek())) {
                throw error(opAt, "unsupported construct: custom rule '" + name + " " + identifierAt(pos) + " ...'");
            } else {
                throw error(opAt, "expected ':=' after '" + name + "'");
            }
            skipSpace();
            int valueAt = pos;
            Value value = term(true);
            endOfStatement("binding '" + name + "'");
            if (bindings.containsKey(name)) {
                throw error(stmt, "'" + name + "' is bound twice (first at " + bindings.get(name).namePosition() + ")");
            }
            bindings.put(name, new RegoModule.Binding(name, value, namePos, position(valueAt)));
        }
        return new RegoModule(pkg, imports, bindings);
    }

    private Value term(boolean refsAllowed) {
        if (eof()) {
            throw error(pos, "unexpected end of text: expected a value");
        }
        char c = peek();
        int at = pos;
        switch (c) {
            case '{' :
                return object(refsAllowed);
            case '[' :
                return array(refsAllowed);
            case '"' :
                return new Value.Str(string());
            case '`' :
                return new Value.Str(rawString());
            default :
                break;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (identStart(c)) {
            String word = identifierAt(pos);
            switch (word) {
                case "true" :
                    pos += 4;
                    return Value.Bool.TRUE;
                case "false" :
                    pos += 5;
                    return Value.Bool.FALSE;
                case "null" :
                    pos += 4;
                    return Value.Null.INSTANCE;
                default :
                    break;
            }
            if (!refsAllowed) {
                throw error(at, "unexpected '" + word + "': expected a JSON value");
            }
            if (!word.equals("data")) {
                int after = at + word.length();
                while (after < src.length() && (src.charAt(after) == ' ' || src.charAt(after) == '\t')) {
                    after++;
                }
                if (peekAt(after) == '|') {
                    throw error(at, "unsupported construct: comprehension");
                }
                throw error(at, "unsupported construct: variable or function '" + word
                        + "' (only literal values and data.* references are supported)");
            }
            List<String> path = new ArrayList<>();
            path.add(identifier());
            while (peek() == '.') {
                pos++;
                if (!identStart(peek())) {
                    throw error(pos, "expected an identifier after '.'");
                }
                path.add(identifier());
            }
            if (peek() == '[' || peek() == '(') {
                throw error(pos, "unsupported construct: reference indexing or function call");
            }
            return new Value.Ref(path);
        }
        throw error(at, "unexpected '" + c + "': expected a value");
    }

    private Value object(boolean refsAllowed) {
        int open = pos;
        pos++;
        Map<String, Value> members = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (eof()) {
                throw error(open, "unterminated object");
            }
            if (peek() == '}') {
                pos++;
                return new Value.Obj(members);
            }
            int keyAt = pos;
            if (peek() != '"') {
                Value k = term(refsAllowed);
                skipSpace();
                if (peek() == ',' || peek() == '}') {
                    throw error(keyAt, "unsupported construct: set literal");
                }
                throw error(keyAt, "object keys must be strings, found " + k.kind());
            }
            String key = string();
            skipSpace();
            if (peek() != ':') {
                if (peek() == ',' || peek() == '}') {
                    throw error(keyAt, "unsupported construct: set literal");
                }
                throw error(pos, "expected ':' after object key");
            }
            pos++;
            skipSpace();
            Value v = term(refsAllowed);
            if (members.containsKey(key)) {
                throw error(keyAt, "duplicate object key \"" + key + "\"");
            }
            members.put(key, v);
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != '}') {
                throw error(pos,
                        eof() ? "unterminated object" : "expected ',' or '}' in object, found '" + peek() + "'");
            }
        }
    }

    private Value array(boolean refsAllowed) {
        int open = pos;
        pos++;
        List<Value> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (eof()) {
                throw error(open, "unterminated array");
            }
            if (peek() == ']') {
                pos++;
                return new Value.Arr(items);
            }
            items.add(term(refsAllowed));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '|') {
                throw error(pos, "unsupported construct: comprehension");
            } else if (peek() != ']') {
                throw error(pos, eof() ? "unterminated array" : "expected ',' or ']' in array, found '" + peek() + "'");
            }
        }
    }

    private String string() {
        int open = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (eof() || peek() == '\n') {
                throw error(open, "unterminated string");
            }
            char c = src.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error(pos - 1, "control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (eof()) {
                throw error(open, "unterminated string");
            }
            char e = src.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) {
                        throw error(pos - 2, "truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error(pos - 2, "invalid \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error(pos - 2, "invalid escape '\\" + e + "'");
            }
        }
    }

    private String rawString() {
        int open = pos;
        int end = src.indexOf('`', pos + 1);
        if (end < 0) {
            throw error(open, "unterminated raw string");
        }
        pos = end + 1;
        return src.substring(open + 1, end);
    }

    private Value number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (!digit(peek())) {
            throw error(start, "invalid number");
        }
        if (peek() == '0' && digit(peekAt(pos + 1))) {
            throw error(start, "invalid number: leading zero");
        }
        while (digit(peek())) {
            pos++;
        }
        if (peek() == '.') {
            pos++;
            if (!digit(peek())) {
                throw error(start, "invalid number");
            }
            while (digit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digit(peek())) {
                throw error(start, "invalid number");
            }
            while (digit(peek())) {
                pos++;
            }
        }
        return new Value.Num(new BigDecimal(src.substring(start, pos)));
    }

    /** After a statement only spaces, a comment and a newline (or the end) may follow. */
    private void endOfStatement(String what) {
        skipInlineSpace();
        if (eof() || peek() == '\n' || peek() == '\r') {
            return;
        }
        if (peek() == '#') {
            skipComment();
            return;
        }
        if (peek() == '{' || peek() == ';' || identStart(peek())) {
            throw error(pos, "unsupported construct after " + what + ": custom rule body or expression ('"
                    + snippet(pos) + "')");
        }
        throw error(pos, "unsupported construct after " + what + ": '" + snippet(pos) + "'");
    }

    private String snippet(int at) {
        int end = at;
        while (end < src.length() && src.charAt(end) != '\n' && end - at < 20) {
            end++;
        }
        return src.substring(at, end);
    }

    private String dottedPath(String what) {
        if (!identStart(peek())) {
            throw error(pos, "expected " + what);
        }
        StringBuilder sb = new StringBuilder(identifier());
        while (peek() == '.') {
            pos++;
            if (!identStart(peek())) {
                throw error(pos, "expected an identifier after '.' in " + what);
            }
            sb.append('.').append(identifier());
        }
        return sb.toString();
    }

    private boolean keyword(String kw) {
        if (src.startsWith(kw, pos) && !identPart(peekAt(pos + kw.length()))) {
            pos += kw.length();
            return true;
        }
        return false;
    }

    private void requireInlineSpace(String after) {
        if (peek() != ' ' && peek() != '\t') {
            throw error(pos, "expected a space after '" + after + "'");
        }
        skipInlineSpace();
    }

    private String identifier() {
        String id = identifierAt(pos);
        pos += id.length();
        return id;
    }

    private String identifierAt(int at) {
        int end = at;
        while (end < src.length() && identPart(src.charAt(end))) {
            end++;
        }
        return src.substring(at, end);
    }

    private void skipSpace() {
        while (!eof()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipInlineSpace() {
        while (!eof() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void skipComment() {
        while (!eof() && peek() != '\n') {
            pos++;
        }
    }

    private boolean eof() {
        return pos >= src.length();
    }

    private char peek() {
        return peekAt(pos);
    }

    private char peekAt(int at) {
        return at < src.length() ? src.charAt(at) : '\0';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean identStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean identPart(char c) {
        return identStart(c) || digit(c);
    }

    private PolicySyntaxException error(int at, String message) {
        return new PolicySyntaxException(position(at), message);
    }

    private Position position(int offset) {
        int idx = Arrays.binarySearch(lineStarts, offset);
        int line = idx >= 0 ? idx : -idx - 2;
        return new Position(line + 1, offset - lineStarts[line] + 1);
    }

    private static int[] lineStarts(String s) {
        int n = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        int[] starts = new int[n];
        int k = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                starts[k++] = i + 1;
            }
        }
        return starts;
    }
}
