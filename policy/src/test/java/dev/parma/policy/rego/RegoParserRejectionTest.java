package dev.parma.policy.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.parma.policy.model.Policies;

/** Every construct outside the generated form is rejected, naming line and column. */
class RegoParserRejectionTest {

    static final String HEAD = "package policy\napi_version := \"0.10.0\"\n";

    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of("custom rule body", HEAD + "allow {\n  true\n}\n", 3, 7, "custom rule body"),
                Arguments.of("rule with if", HEAD + "allow if { true }\n", 3, 7, "custom rule"),
                Arguments.of("binding followed by a body", HEAD + "mount_device := {\"allowed\": true} { input.x }\n",
                        3, 35, "custom rule body"),
                Arguments.of("default rule", HEAD + "default allow := false\n", 3, 1, "'default' rule"),
                Arguments.of("unification rule", HEAD + "allow = true\n", 3, 7, "only 'name := value'"),
                Arguments.of("function", HEAD + "f(x) := x\n", 3, 2, "rule arguments"),
                Arguments.of("variable reference", HEAD + "x := input.foo\n", 3, 6, "variable or function 'input'"),
                Arguments.of("operator", HEAD + "x := 1 + 2\n", 3, 8, "unsupported construct"),
                Arguments.of("set literal", HEAD + "x := {\"a\", \"b\"}\n", 3, 7, "set literal"),
                Arguments.of("comprehension", HEAD + "x := [y | y := data.a[_]]\n", 3, 7, "comprehension"),
                Arguments.of("reference indexing", HEAD + "x := data.framework.errors[0]\n", 3, 27, "indexing"),
                Arguments.of("foreign delegation", HEAD + "mount_device := data.framework.create_container\n", 3, 17,
                        "may only delegate to data.framework.mount_device"),
                Arguments.of("reference in data", HEAD + "containers := [data.x]\n", 3, 15, "unsupported reference"),
                Arguments.of("custom reason", HEAD + "reason := {\"errors\": [\"x\"]}\n", 3, 11,
                        "unsupported reason rule"),
                Arguments.of("reason with a foreign member", HEAD + "reason := {\"errors\": data.framework.errors, "
                        + "\"error_objects\": data.framework.error_objects, \"x\": data.framework.errors}\n", 3, 11,
                        "unsupported reason rule"),
                Arguments.of("error objects under another name", HEAD + "reason := {\"errors\": data.framework.errors, "
                        + "\"error_objects\": data.framework.errors}\n", 3, 11, "unsupported reason rule"),
                Arguments.of("non-future import", HEAD + "import data.lib\n", 3, 8, "unsupported import"),
                Arguments.of("no package", "api_version := \"0.10.0\"\n", 1, 1, "expected 'package'"),
                Arguments.of("wrong package", "package framework\n", 1, 1, "must be 'package policy'"),
                Arguments.of("duplicate binding", HEAD + "api_version := \"0.11.0\"\n", 3, 1, "bound twice"),
                Arguments.of("unterminated string", HEAD + "x := \"abc\n", 3, 6, "unterminated string"),
                Arguments.of("bad escape", HEAD + "x := \"a\\qb\"\n", 3, 8, "invalid escape"),
                Arguments.of("non-string key", HEAD + "x := {1: 2}\n", 3, 7, "keys must be strings"),
                Arguments.of("duplicate key", HEAD + "x := {\"a\": 1, \"a\": 2}\n", 3, 15, "duplicate object key"),
                Arguments.of("constant without allowed", HEAD + "mount_device := {\"ok\": true}\n", 3, 17,
                        "needs a boolean \"allowed\""),
                Arguments.of("bad container field type",
                        HEAD + "containers := [{\"command\": null, \"layers\": \"abc\"}]\n", 3, 15,
                        "containers[0].layers: expected array, found string"),
                Arguments.of("missing container field", HEAD + "containers := [{\"layers\": []}]\n", 3, 15,
                        "containers[0]: missing field \"command\""),
                Arguments.of("bad version", "package policy\napi_version := \"1.0\"\n", 2, 16,
                        "not a MAJOR.MINOR.PATCH version"),
                Arguments.of("bad flag type", HEAD + "allow_dump_stacks := \"yes\"\n", 3, 22, "expected boolean"),
                Arguments.of("leading zero", HEAD + "x := 01\n", 3, 6, "leading zero"),
                Arguments.of("garbage", HEAD + "%\n", 3, 1, "unexpected '%'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void rejectsWithLineAndColumn(String what, String text, int line, int column, String message) {
        PolicySyntaxException e = catchThrowableOfType(() -> Policies.fromText(text), PolicySyntaxException.class);
        assertThat(e).as(what).isNotNull();
        assertThat(e.getMessage()).contains(message);
        assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
        assertThat(e.getMessage()).startsWith("line " + line + ", column " + column + ": ");
    }

    @Test
    void acceptsCommentsTrailingCommasRawStringsAndMultiLineValues() {
        RegoModule m = RegoParser.parse("# leading comment\npackage policy # trailing\n\nimport rego.v1\n"
                + "x := [\n  {\"a\": `raw\\n`,},\n  2.5e3,\n  -1,\n  null, # inside\n]\n");
        assertThat(m.imports()).containsExactly("rego.v1");
        Value.Arr x = (Value.Arr) m.bindings().get("x").value();
        assertThat(x.items()).hasSize(4);
        assertThat(((Value.Obj) x.items().get(0)).get("a")).isEqualTo(new Value.Str("raw\\n"));
        assertThat(m.bindings().get("x").namePosition()).isEqualTo(new Position(5, 1));
    }

    @Test
    void nullAndEmptyInputAreRejectedPrecisely() {
        assertThatThrownBy(() -> RegoParser.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy text");
        assertThatThrownBy(() -> Policies.fromText("")).isInstanceOf(PolicySyntaxException.class)
                .hasMessageContaining("empty policy");
        assertThatThrownBy(() -> Policies.fromText("{\"allow_all\": true}")).isInstanceOf(PolicySyntaxException.class)
                .hasMessageContaining("$: missing field \"containers\"");
        assertThatThrownBy(() -> Policies.fromBase64("%%%")).hasMessageContaining("base64");
    }
}
