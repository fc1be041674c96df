package dev.parma.policy.rego;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parma.policy.Seeded;

class JsonTest {

    static final int TRIALS = 1000;

    @BeforeAll
    static void announceSeed() {
        Seeded.announce();
    }

    @Test
    void escapesLikePythonJsonDumps() {
        assertThat(Json.compact(new Value.Str("a\"b\\c\n\u00e9\u0001"))).isEqualTo("\"a\\\"b\\\\c\\n\\u00e9\\u0001\"");
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("b", new Value.Arr(List.of(Value.Num.of(1), Value.Bool.TRUE, Value.Null.INSTANCE)));
        m.put("a", new Value.Obj(Map.of()));
        assertThat(Json.compact(new Value.Obj(m))).isEqualTo("{\"b\":[1,true,null],\"a\":{}}");
        assertThat(Json.pretty(new Value.Obj(m)))
                .isEqualTo("{\n  \"b\": [\n    1,\n    true,\n    null\n  ],\n  \"a\": {}\n}");
    }

    @Test
    void anyStringRoundTrips() {
        Seeded.forAll(TRIALS, (r, trial) -> {
            String s = trial == 0 ? "" : anyString(r);
            Value v = new Value.Arr(List.of(new Value.Str(s)));
            assertThat(RegoParser.parseJson(Json.compact(v))).as(() -> Seeded.where(trial) + "string "
                    + s.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList()).isEqualTo(v);
        });
    }

    /** Sanity: over the trials the string generator reaches every kind of character the JSON writer escapes. */
    @Test
    void anyStringRoundTrips_generatorCoversTheEscapes() {
        StringBuilder all = new StringBuilder();
        Seeded.forAll(TRIALS, (r, trial) -> all.append(anyString(r)));
        assertThat(all.toString()).as(Seeded.where(0)).contains("\"", "\\", "\n", "\t", "\u0000", "\u007f",
                "\u2028").matches(x -> x.codePoints().anyMatch(c -> c > 0xFFFF), "has a supplementary code point")
                .matches(x -> x.chars().anyMatch(c -> c >= 0x80 && c < 0xD800), "has a non-ASCII BMP char");
    }

    /**
     * 0 to 64 chars from all of Unicode: printable ASCII, the characters JSON escapes by name, other controls, any
     * other BMP char (surrogates paired) and supplementary code points.
     */
    static String anyString(SplittableRandom r) {
        int n = Seeded.between(r, 0, 64);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            int kind = r.nextInt(10);
            if (kind < 4) {
                sb.append((char) Seeded.between(r, 0x20, 0x7E));
            } else if (kind < 5) {
                sb.append(Seeded.oneOf(r, '"', '\\', '/', '\b', '\f', '\n', '\r', '\t'));
            } else if (kind < 6) {
                sb.append((char) (int) Seeded.oneOf(r, Seeded.between(r, 0, 0x1F), 0x7F, 0x2028, 0x2029, 0xFEFF));
            } else if (kind < 9) {
                int c = Seeded.between(r, 0x80, 0xFFFF);
                sb.appendCodePoint(Character.isSurrogate((char) c) ? 0x10000 + (c & 0x3FF) : c);
            } else {
                sb.appendCodePoint(Seeded.between(r, 0x10000, Character.MAX_CODE_POINT));
            }
        }
        return sb.toString();
    }
}
