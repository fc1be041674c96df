package dev.parma.gateway.templates;

import java.util.ArrayList;
import java.util.List;

/**
 * The ARM template expression language: {@code [function(args...).property[index]]}. Strings are in single
 * quotes ({@code ''} escapes one), numbers are integers, and {@code true}/{@code false}/{@code null} are
 * accepted as literals. Parsing throws {@link IllegalArgumentException} naming the offset.
 */
public sealed interface Expression {

    record Literal(Object value) implements Expression {
    }

    record Call(String function, List<Expression> args) implements Expression {
    }

    record Property(Expression target, String name) implements Expression {
    }

    record Index(Expression target, Expression index) implements Expression {
    }

    /** True if the JSON string is an expression: starts with '[' and ends with ']' but not with "[[". */
    static boolean isExpression(String s) {
        return s.length() >= 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']' && s.charAt(1) != '[';
    }

    /** A string that is not an expression: "[[x]" stands for "[x]". */
    static String literal(String s) {
        return s.startsWith("[[") ? s.substring(1) : s;
    }

    static Expression parse(String text) {
        var p = new Parser(text.substring(1, text.length() - 1));
        Expression e = p.expression();
        p.skipSpace();
        if (p.pos != p.text.length()) {
            throw new IllegalArgumentException("unexpected '" + p.text.charAt(p.pos) + "' at offset " + (p.pos + 1)
                    + " of the expression");
        }
        return e;
    }

    final class Parser {
        final String text;
        int pos;
        int depth;

        Parser(String text) {
            this.text = text;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Expression expression() {
            if (++depth > 100) {
                throw new IllegalArgumentException("the expression nests deeper than 100 levels");
            }
            try {
                return postfix();
            } finally {
                depth--;
            }
        }

        Expression postfix() {
            skipSpace();
            Expression e = primary();
            while (true) {
                skipSpace();
                if (peek('.')) {
                    pos++;
                    skipSpace();
                    e = new Property(e, identifier());
                } else if (peek('[')) {
                    pos++;
                    Expression index = expression();
                    skipSpace();
                    expect(']');
                    e = new Index(e, index);
                } else {
                    return e;
                }
            }
        }

        Expression primary() {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("the expression ends too early");
            }
            char c = text.charAt(pos);
            if (c == '\'') {
                pos++;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    if (pos >= text.length()) {
                        throw new IllegalArgumentException("a string literal is not closed");
                    }
                    char d = text.charAt(pos++);
                    if (d == '\'') {
                        if (peek('\'')) {
                            sb.append('\'');
                            pos++;
                        } else {
                            return new Literal(sb.toString());
                        }
                    } else {
                        sb.append(d);
                    }
                }
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = pos++;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
                String n = text.substring(start, pos);
                try {
                    return new Literal(n.contains(".") ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + n + "' is not a number");
                }
            }
            String name = identifier();
            skipSpace();
            if (!peek('(')) {
                return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                    case "true" -> new Literal(Boolean.TRUE);
                    case "false" -> new Literal(Boolean.FALSE);
                    case "null" -> new Literal(null);
                    default ->
                        throw new IllegalArgumentException("'" + name + "' must be followed by '(': functions are"
                                + " called as name(arguments), strings are written in single quotes");
                };
            }
            pos++;
            List<Expression> args = new ArrayList<>();
            skipSpace();
            if (peek(')')) {
                pos++;
                return new Call(name, args);
            }
            while (true) {
                args.add(expression());
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else {
                    expect(')');
                    return new Call(name, args);
                }
            }
        }

        String identifier() {
            int start = pos;
            while (pos < text.length()
                    && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                            || text.charAt(pos) == '$')) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException(pos < text.length()
                        ? "unexpected '" + text.charAt(pos) + "' at offset " + (pos + 1) + " of the expression"
                        : "the expression ends too early");
            }
            return text.substring(start, pos);
        }

        boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException(
                        "expected '" + c + "' at offset " + (pos + 1) + " of the expression");
            }
            pos++;
        }
    }
}
