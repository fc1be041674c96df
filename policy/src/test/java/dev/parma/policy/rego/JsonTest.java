package dev.parma.policy.rego;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import org.junit.jupiter.api.Test;

class JsonTest {

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

    @Property(tries = 300)
    void anyStringRoundTrips(@ForAll String s) {
        Value v = new Value.Arr(List.of(new Value.Str(s)));
        assertThat(RegoParser.parseJson(Json.compact(v))).isEqualTo(v);
    }
}
