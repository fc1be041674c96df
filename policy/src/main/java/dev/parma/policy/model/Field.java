package dev.parma.policy.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.parma.policy.rego.PolicySyntaxException;
import dev.parma.policy.rego.Position;
import dev.parma.policy.rego.Value;

/**
 * A value being decoded plus where it came from (statement position and JSON path), so that every type error names
 * the line, the column and the field.
 */
record Field(Value value, String path, Position at) {

    PolicySyntaxException error(String message) {
        return new PolicySyntaxException(at, path + ": " + message);
    }

    Field member(String key) {
        Value.Obj o = obj();
        Value v = o.get(key);
        if (v == null) {
            throw error("missing field \"" + key + "\"");
        }
        return new Field(v, path + "." + key, at);
    }

    Optional<Field> optMember(String key) {
        Value v = obj().get(key);
        return v == null ? Optional.empty() : Optional.of(new Field(v, path + "." + key, at));
    }

    boolean isNull() {
        return value instanceof Value.Null;
    }

    Value.Obj obj() {
        if (value instanceof Value.Obj o) {
            return o;
        }
        throw error("expected object, found " + value.kind());
    }

    String str() {
        if (value instanceof Value.Str s) {
            return s.value();
        }
        throw error("expected string, found " + value.kind());
    }

    boolean bool() {
        if (value instanceof Value.Bool b) {
            return b.value();
        }
        throw error("expected boolean, found " + value.kind());
    }

    int integer() {
        if (value instanceof Value.Num n) {
            try {
                return n.value().intValueExact();
            } catch (ArithmeticException e) {
                throw error("expected an integer, found " + n.value());
            }
        }
        throw error("expected integer, found " + value.kind());
    }

    /** A string, or a number kept as its plain decimal text (minimum_svn and svn may be either). */
    String stringOrNumber() {
        if (value instanceof Value.Str s) {
            return s.value();
        }
        if (value instanceof Value.Num n) {
            BigDecimal d = n.value();
            return d.stripTrailingZeros().scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        throw error("expected string or number, found " + value.kind());
    }

    List<Field> items() {
        if (!(value instanceof Value.Arr a)) {
            throw error("expected array, found " + value.kind());
        }
        List<Field> out = new ArrayList<>(a.items().size());
        for (int i = 0; i < a.items().size(); i++) {
            out.add(new Field(a.items().get(i), path + "[" + i + "]", at));
        }
        return out;
    }

    <T> List<T> list(Function<Field, T> f) {
        List<Field> items = items();
        List<T> out = new ArrayList<>(items.size());
        for (Field i : items) {
            out.add(f.apply(i));
        }
        return out;
    }

    List<String> strings() {
        return list(Field::str);
    }

    Semver semver() {
        try {
            return Semver.parse(str());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}
