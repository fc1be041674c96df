package dev.parma.attestation.policy;

import dev.parma.attestation.policy.AttestationPolicy.Action;
import dev.parma.attestation.policy.AttestationPolicy.Condition;
import dev.parma.attestation.policy.AttestationPolicy.Deny;
import dev.parma.attestation.policy.AttestationPolicy.Issue;
import dev.parma.attestation.policy.AttestationPolicy.Op;
import dev.parma.attestation.policy.AttestationPolicy.Permit;
import dev.parma.attestation.policy.AttestationPolicy.Rule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the subset of MAA's policy text language (policy-examples.md) we implement:
 *
 * <pre>
 * version= 1.0;
 * authorizationrules {
 *     [type=="x-ms-sevsnpvm-is-debuggable", value==false] &amp;&amp; [type=="x-ms-sevsnpvm-guestsvn", value&gt;=2] =&gt; permit();
 *     =&gt; deny();
 * };
 * issuancerules {
 *     c:[type=="x-ms-sevsnpvm-hostdata"] =&gt; issue(type="policy-digest", value=c.value);
 * };
 * </pre>
 *
 * Operators ==, !=, &gt;=, &gt;, &lt;=, &lt;; values are strings, numbers, true/false. Errors name line and column.
 */
public final class PolicyParser {

    /** The policy text does not parse; the message names line and column. */
    public static final class PolicyException extends Exception {
        private static final long serialVersionUID = 1L;

        PolicyException(String message) {
            super(message);
        }
    }

    private enum Kind {
        IDENT, STRING, NUMBER, PUNCT, END
    }

    private record Token(Kind kind, String text, int line, int column) {
    }

    private final String text;
    private final boolean strict;
    private final List<Token> tokens;
    private int pos;

    private PolicyParser(String text, boolean strict) throws PolicyException {
        this.text = text;
        this.strict = strict;
        this.tokens = tokenize(text);
    }

    /** A policy as uploaded (or sent as a draft): an issuance rule for a {@link ReservedClaims reserved} claim fails. */
    public static AttestationPolicy parse(String text) throws PolicyException {
        return parse(text, true);
    }

    /**
     * A stored policy version, which may predate the reserved-claim rule: it still loads, and evaluation drops the
     * reserved claims it would issue ({@link AttestationPolicy#evaluate}).
     */
    public static AttestationPolicy parseStored(String text) throws PolicyException {
        return parse(text, false);
    }

    private static AttestationPolicy parse(String text, boolean strict) throws PolicyException {
        if (text == null || text.isBlank()) {
            throw new PolicyException("the policy is empty");
        }
        return new PolicyParser(text, strict).policy();
    }

    private AttestationPolicy policy() throws PolicyException {
        expectIdent("version");
        expect("=");
        Token v = next();
        if (v.kind() != Kind.NUMBER || !v.text().equals("1.0")) {
            throw error(v, "only version=1.0 is supported");
        }
        expect(";");
        List<Rule> authorization = null;
        List<Rule> issuance = List.of();
        while (peek().kind() != Kind.END) {
            Token section = next();
            if (section.kind() == Kind.IDENT && section.text().equalsIgnoreCase("authorizationrules")
                    && authorization == null) {
                authorization = rules(false);
            } else if (section.kind() == Kind.IDENT && section.text().equalsIgnoreCase("issuancerules")) {
                issuance = rules(true);
            } else {
                throw error(section, "expected 'authorizationrules' or 'issuancerules' (once each)");
            }
        }
        if (authorization == null) {
            throw error(peek(), "the policy has no authorizationrules section");
        }
        return new AttestationPolicy(text, authorization, issuance);
    }

    private List<Rule> rules(boolean issuance) throws PolicyException {
        expect("{");
        List<Rule> rules = new ArrayList<>();
        while (!isPunct(peek(), "}")) {
            rules.add(rule(issuance));
        }
        expect("}");
        expect(";");
        return rules;
    }

    private Rule rule(boolean issuance) throws PolicyException {
        List<Condition> conditions = new ArrayList<>();
        Set<String> vars = new HashSet<>();
        if (!isPunct(peek(), "=>")) {
            conditions.add(condition(vars));
            while (isPunct(peek(), "&&")) {
                next();
                conditions.add(condition(vars));
            }
        }
        expect("=>");
        Token name = next();
        Action action;
        if (name.kind() == Kind.IDENT && name.text().equals("permit") && !issuance) {
            expect("(");
            expect(")");
            action = new Permit();
        } else if (name.kind() == Kind.IDENT && name.text().equals("deny") && !issuance) {
            expect("(");
            expect(")");
            action = new Deny();
        } else if (name.kind() == Kind.IDENT && name.text().equals("issue") && issuance) {
            action = issue(vars);
        } else {
            throw error(name, issuance ? "expected issue(type=..., value=...)" : "expected permit() or deny()");
        }
        expect(";");
        return new Rule(conditions, action);
    }

    private Issue issue(Set<String> vars) throws PolicyException {
        expect("(");
        expectIdent("type");
        expect("=");
        Token type = next();
        if (type.kind() != Kind.STRING) {
            throw error(type, "issue type must be a string");
        }
        if (strict && ReservedClaims.isReserved(type.text())) {
            throw error(type, "claim '" + abbreviate(type.text()) + "' is reserved for the attestation service ("
                    + ReservedClaims.describe() + "); issue it under another name");
        }
        expect(",");
        expectIdent("value");
        expect("=");
        Token v = peek();
        Issue issue;
        if (v.kind() == Kind.IDENT && v.text().contains(".")) {
            next();
            String[] ref = v.text().split("\\.", 2);
            if (!ref[1].equals("value") || !vars.contains(ref[0])) {
                throw error(v, "expected <variable>.value of a variable bound in this rule");
            }
            issue = new Issue(type.text(), ref[0], null);
        } else {
            issue = new Issue(type.text(), null, literal());
        }
        expect(")");
        return issue;
    }

    private Condition condition(Set<String> vars) throws PolicyException {
        String variable = null;
        if (peek().kind() == Kind.IDENT) {
            Token var = next();
            expect(":");
            if (!vars.add(var.text())) {
                throw error(var, "variable '" + var.text() + "' is bound twice");
            }
            variable = var.text();
        }
        expect("[");
        expectIdent("type");
        expect("==");
        Token type = next();
        if (type.kind() != Kind.STRING) {
            throw error(type, "claim type must be a string");
        }
        Op op = null;
        Object value = null;
        if (isPunct(peek(), ",")) {
            next();
            expectIdent("value");
            Token opToken = next();
            op = op(opToken);
            value = literal();
            if (op != Op.EQ && op != Op.NE && !(value instanceof BigDecimal)) {
                throw error(opToken, opToken.text() + " compares numbers only");
            }
        }
        expect("]");
        return new Condition(variable, type.text(), op, value);
    }

    private Object literal() throws PolicyException {
        Token t = next();
        return switch (t.kind()) {
            case STRING -> t.text();
            case NUMBER -> new BigDecimal(t.text());
            case IDENT -> switch (t.text().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw error(t, "expected a string, number, true or false");
            };
            default -> throw error(t, "expected a string, number, true or false");
        };
    }

    private Op op(Token t) throws PolicyException {
        if (t.kind() == Kind.PUNCT) {
            for (Op op : Op.values()) {
                if (op.symbol.equals(t.text())) {
                    return op;
                }
            }
        }
        throw error(t, "expected a comparison operator (==, !=, >=, >, <=, <)");
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) {
            pos++;
        }
        return t;
    }

    private void expect(String punct) throws PolicyException {
        Token t = next();
        if (!isPunct(t, punct)) {
            throw error(t, "expected '" + punct + "'");
        }
    }

    private void expectIdent(String word) throws PolicyException {
        Token t = next();
        if (t.kind() != Kind.IDENT || !t.text().equalsIgnoreCase(word)) {
            throw error(t, "expected '" + word + "'");
        }
    }

    private static boolean isPunct(Token t, String p) {
        return t.kind() == Kind.PUNCT && t.text().equals(p);
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "…" : s;
    }

    private static PolicyException error(Token t, String message) {
        String found = t.kind() == Kind.END ? "end of policy" : "'" + abbreviate(t.text()) + "'";
        return new PolicyException("line " + t.line() + ", column " + t.column() + ": " + message + ", found "
                + found);
    }

    private static final String[] PUNCTS = {"=>", "==", "!=", ">=", "<=", "&&", "=", ">", "<", ";", "{", "}", "[",
            "]", "(", ")", ",", ":"};

    private static List<Token> tokenize(String s) throws PolicyException {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int lineStart = 0;
        int i = 0;
        outer : while (i < s.length()) {
            char c = s.charAt(i);
            int col = i - lineStart + 1;
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                int nl = s.indexOf('\n', i + 1);
                if (end < 0 || nl >= 0 && nl < end) {
                    throw new PolicyException("line " + line + ", column " + col + ": unterminated string");
                }
                out.add(new Token(Kind.STRING, s.substring(i + 1, end), line, col));
                i = end + 1;
            } else if (Character.isDigit(c) || c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                int j = i + 1;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                String num = s.substring(i, j);
                if (!num.matches("-?\\d+(\\.\\d+)?")) {
                    throw new PolicyException("line " + line + ", column " + col + ": bad number '" + num + "'");
                }
                out.add(new Token(Kind.NUMBER, num, line, col));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(
                        j) == '-' || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.IDENT, s.substring(i, j), line, col));
                i = j;
            } else {
                for (String p : PUNCTS) {
                    if (s.startsWith(p, i)) {
                        out.add(new Token(Kind.PUNCT, p, line, col));
                        i += p.length();
                        continue outer;
                    }
                }
                throw new PolicyException("line " + line + ", column " + col + ": unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Kind.END, "", line, s.length() - lineStart + 1));
        return out;
    }
}
