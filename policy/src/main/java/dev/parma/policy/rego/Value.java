package dev.parma.policy.rego;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.parma.policy.Require;

/**
 * A term of the generated-policy subset of Rego: JSON values plus references such as {@code data.framework.errors}.
 * Immutable; objects keep their source key order because the generator writes keys in a fixed order.
 */
public sealed interface Value {

    /** A short name of the kind of value, for error messages. */
    String kind();

    record Null() implements Value {
        public static final Null INSTANCE = new Null();

        @Override
        public String kind() {
            return "null";
        }
    }

    record Bool(boolean value) implements Value {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        public static Bool of(boolean b) {
            return b ? TRUE : FALSE;
        }

        @Override
        public String kind() {
            return "boolean";
        }
    }

    /** Numbers keep their decimal form so that {@code 1} and {@code 1.0} are told apart where it matters. */
    record Num(BigDecimal value) implements Value {
        public Num {
            Require.nonNull(value, "value");
        }

        public static Num of(long v) {
            return new Num(BigDecimal.valueOf(v));
        }

        @Override
        public String kind() {
            return "number";
        }
    }

    record Str(String value) implements Value {
        public Str {
            Require.nonNull(value, "value");
        }

        @Override
        public String kind() {
            return "string";
        }
    }

    record Arr(List<Value> items) implements Value {
        public Arr {
            items = Require.list(items, "items");
        }

        @Override
        public String kind() {
            return "array";
        }
    }

    record Obj(Map<String, Value> members) implements Value {
        public Obj {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        public Value get(String key) {
            return members.get(key);
        }

        @Override
        public String kind() {
            return "object";
        }
    }

    /** A dotted reference, e.g. {@code data.framework.mount_device}. Only legal where the policy form allows it. */
    record Ref(List<String> path) implements Value {
        public Ref {
            path = Require.list(path, "path");
            if (path.isEmpty()) {
                throw new IllegalArgumentException("empty reference");
            }
        }

        public String dotted() {
            return String.join(".", path);
        }

        @Override
        public String kind() {
            return "reference";
        }
    }

    static Str str(String s) {
        return new Str(s);
    }

    static Arr arr(List<? extends Value> items) {
        return new Arr(List.copyOf(items));
    }
}
