package dev.parma.gateway.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each template function, alone, through the engine (parameters and variables of a small template in scope). */
class TemplateFunctionsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TEMPLATE = """
            {
              "parameters": {
                "name": {"type": "string", "defaultValue": "Web"},
                "port": {"type": "int", "defaultValue": "[add(80, 8000)]"},
                "secret": {"type": "securestring", "defaultValue": "hunter2"},
                "region": {"type": "string", "defaultValue": "[resourceGroup().location]"},
                "flag": {"type": "bool", "defaultValue": "True"},
                "list": {"type": "array", "defaultValue": [1, 2, 3]}
              },
              "variables": {
                "greeting": "[concat('hello-', parameters('name'))]",
                "nested": {"a": {"b": ["x", "y"]}},
                "chained": "[toUpper(variables('greeting'))]"
              },
              "resources": []
            }""";

    static TemplateEngine engine() throws Exception {
        var ctx = new TemplateEngine.Context("sub-1", "tenant-1", "rg-1", "westeurope", "deploy-1", "Incremental");
        return new TemplateEngine(JSON.readTree(TEMPLATE), "/t", null, "/p", ctx);
    }

    static JsonNode eval(String expression) throws Exception {
        return engine().eval(JSON.getNodeFactory().textNode(expression), "/x");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "[parameters('name')]|\"Web\"",
            "[parameters('NAME')]|\"Web\"",
            "[parameters('port')]|8080",
            "[parameters('flag')]|true",
            "[parameters('region')]|\"westeurope\"",
            "[variables('greeting')]|\"hello-Web\"",
            "[variables('chained')]|\"HELLO-WEB\"",
            "[variables('nested').a.b[1]]|\"y\"",
            "[variables('nested')['a']['b'][0]]|\"x\"",
            "[concat('a', 'b', 1, true)]|\"ab1true\"",
            "[concat(createArray(1, 2), parameters('list'))]|[1,2,1,2,3]",
            "[format('{0}-{1:N}-{{lit}}', 'x', 7)]|\"x-7-{lit}\"",
            "[toLower('MiXeD')]|\"mixed\"",
            "[toUpper('MiXeD')]|\"MIXED\"",
            "[if(equals(1, 1), 'yes', 'no')]|\"yes\"",
            "[if(false, parameters('nope'), 'lazy')]|\"lazy\"",
            "[equals('a', 'a')]|true",
            "[equals(parameters('port'), int('8080'))]|true",
            "[equals(createArray(1), createArray(2))]|false",
            "[length('abcd')]|4",
            "[length(parameters('list'))]|3",
            "[length(variables('nested'))]|1",
            "[base64('hello')]|\"aGVsbG8=\"",
            "[base64ToString('aGVsbG8=')]|\"hello\"",
            "[string(42)]|\"42\"",
            "[string(true)]|\"true\"",
            "[string(variables('nested'))]|\"{\\\"a\\\":{\\\"b\\\":[\\\"x\\\",\\\"y\\\"]}}\"",
            "[int('19132')]|19132",
            "[int('2.0')]|2",
            "[bool('TRUE')]|true",
            "[bool(0)]|false",
            "[resourceGroup().id]|\"/subscriptions/sub-1/resourceGroups/rg-1\"",
            "[resourceGroup().name]|\"rg-1\"",
            "[resourceGroup().location]|\"westeurope\"",
            "[subscription().subscriptionId]|\"sub-1\"",
            "[subscription().tenantId]|\"tenant-1\"",
            "[subscription().id]|\"/subscriptions/sub-1\"",
            "[deployment().name]|\"deploy-1\"",
            "[deployment().properties.mode]|\"Incremental\"",
            "[resourceId('Microsoft.ContainerInstance/containerGroups/', 'g1')]|\"/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ContainerInstance/containerGroups/g1\"",
            "[resourceId('other-rg', 'Microsoft.ContainerInstance/containerGroups', 'g1')]|\"/subscriptions/sub-1/resourceGroups/other-rg/providers/Microsoft.ContainerInstance/containerGroups/g1\"",
            "[resourceId('s2', 'r2', 'Microsoft.Network/virtualNetworks/subnets', 'v', 's')]|\"/subscriptions/s2/resourceGroups/r2/providers/Microsoft.Network/virtualNetworks/v/subnets/s\"",
            "[not(true)]|false",
            "[and(true, equals(1, 1))]|true",
            "[or(false, false)]|false",
            "[contains('abc', 'b')]|true",
            "[contains(parameters('list'), 2)]|true",
            "[empty('')]|true",
            "[replace('a-b-c', '-', '.')]|\"a.b.c\"",
            "[substring('abcdef', 1, 3)]|\"bcd\"",
            "[split('a,b', ',')]|[\"a\",\"b\"]",
            "[first(parameters('list'))]|1",
            "[last('xyz')]|\"z\"",
            "[createObject('k', 'v')]|{\"k\":\"v\"}",
            "[json('{\"a\":1}').a]|1",
            "[sub(10, 3)]|7",
            "[mul(6, 7)]|42",
            "[div(7, 2)]|3",
            "[mod(7, 2)]|1",
            "[greater(2, 1)]|true",
            "[less('a', 'b')]|true",
            "[concat('it''s')]|\"it's\"",
            "[[not an expression]|\"[not an expression]\"",
            "plain|\"plain\""})
    void evaluates(String expression, String expected) throws Exception {
        assertThat(eval(expression).toString()).isEqualTo(JSON.readTree(expected).toString());
    }

    @Test
    void uniqueStringIsThirteenLowercaseCharactersAndDeterministic() throws Exception {
        String a = eval("[uniqueString(resourceGroup().id, deployment().name)]").asText();
        assertThat(a).matches("[a-z2-7]{13}");
        assertThat(eval("[uniqueString(resourceGroup().id, deployment().name)]").asText()).isEqualTo(a);
        assertThat(eval("[uniqueString(resourceGroup().id)]").asText()).isNotEqualTo(a);
    }

    @Test
    void guidIsADeterministicUuid() throws Exception {
        String g = eval("[guid(subscription().id, 'x')]").asText();
        assertThat(g).matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(eval("[guid(subscription().id, 'x')]").asText()).isEqualTo(g);
        assertThat(eval("[guid(subscription().id, 'y')]").asText()).isNotEqualTo(g);
    }

    @Test
    void referenceReadsTheDeployedResourceInOutputs() throws Exception {
        String t = """
                {"resources": [], "outputs": {
                  "ip": {"type": "string", "value": "[reference(resourceId('Microsoft.ContainerInstance/containerGroups', 'g')).ipAddress.ip]"},
                  "byName": {"type": "string", "value": "[reference('g').ipAddress.ip]"},
                  "full": {"type": "string", "value": "[reference('g', '2023-05-01', 'Full').location]"}}}""";
        var ctx = new TemplateEngine.Context("s", "t", "rg", "westeurope", "d", "Incremental");
        var engine = new TemplateEngine(JSON.readTree(t), "/t", null, "/p", ctx);
        engine.plan();
        JsonNode group = JSON
                .readTree("{\"location\":\"northeurope\",\"properties\":{\"ipAddress\":{\"ip\":\"10.1.2.3\"}}}");
        var outputs = engine.outputs(id -> id
                .equals("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g")
                        ? group
                        : null);
        assertThat(outputs.get("ip").value().asText()).isEqualTo("10.1.2.3");
        assertThat(outputs.get("byName").value().asText()).isEqualTo("10.1.2.3");
        assertThat(outputs.get("full").value().asText()).isEqualTo("northeurope");
    }

    @Test
    void referenceOutsideOutputsIsAnInvalidTemplate() throws Exception {
        assertThatThrownBy(() -> eval("[reference('g').ipAddress.ip]")).isInstanceOf(TemplateError.class)
                .hasMessageContaining("outputs only");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "[nosuch('x')]|'nosuch' is not valid",
            "[parameters('missing')]|'missing' is not found",
            "[variables('missing')]|'missing' is not found",
            "[concat('a)]|not closed",
            "[concat('a' 'b')]|expected ')'",
            "[int('x')]|not an integer",
            "[bool('maybe')]|expected a boolean",
            "[equals(1)]|takes 2 arguments",
            "[if(true, 1)]|takes 3 arguments",
            "[resourceGroup().nope]|'nope' doesn't exist",
            "[parameters('list')[9]]|out of range",
            "[format('{3}', 'a')]|has no argument",
            "[div(1, 0)]|division by zero",
            "[listKeys('x', '2020-01-01')]|not supported",
            "[resourceId('Microsoft.ContainerInstance/containerGroups')]|resourceId() takes"})
    void badExpressionsAreInvalidTemplatesNamingTheProblem(String expression, String message) {
        assertThatThrownBy(() -> eval(expression)).isInstanceOf(TemplateError.class).hasMessageContaining(message)
                .extracting(e -> ((TemplateError) e).pointer()).isEqualTo("/x");
    }

    @Test
    void parametersAreTypedAndCheckedAgainstAllowedValues() throws Exception {
        String t = """
                {"parameters": {
                  "n": {"type": "int", "minValue": 1, "maxValue": 4},
                  "s": {"type": "String", "allowedValues": ["Always", "Never"]},
                  "d": {"type": "string", "defaultValue": "[concat(parameters('s'), '-x')]"}},
                 "resources": []}""";
        var ctx = new TemplateEngine.Context("s", "t", "rg", "westeurope", "d", "Incremental");
        var ok = new TemplateEngine(JSON.readTree(t), "/t",
                JSON.readTree("{\"n\":{\"value\":\"3\"},\"s\":{\"value\":\"never\"}}"), "/p", ctx).plan();
        assertThat(ok.parameters()).extracting(p -> p.value().toString())
                .containsExactly("3", "\"never\"", "\"never-x\"");
        for (var bad : Map.of("{\"n\":{\"value\":9},\"s\":{\"value\":\"Never\"}}", "between 1 and 4",
                "{\"n\":{\"value\":1},\"s\":{\"value\":\"Sometimes\"}}", "must be one of",
                "{\"n\":{\"value\":\"x\"},\"s\":{\"value\":\"Never\"}}", "Expected a value of type 'int'",
                "{\"s\":{\"value\":\"Never\"}}", "'n' is not provided",
                "{\"n\":{\"value\":1},\"s\":{\"value\":\"Never\"},\"extra\":{\"value\":1}}",
                "not present in the original template",
                "{\"n\":1,\"s\":{\"value\":\"Never\"}}", "must be written as").entrySet()) {
            assertThatThrownBy(() -> new TemplateEngine(JSON.readTree(t), "/t", JSON.readTree(bad.getKey()), "/p", ctx)
                    .plan()).isInstanceOf(TemplateError.class).hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void aSecureParameterNeverAppearsInItsError() throws Exception {
        String t = "{\"parameters\":{\"pw\":{\"type\":\"securestring\",\"minLength\":12}},\"resources\":[]}";
        var ctx = new TemplateEngine.Context("s", "t", "rg", "westeurope", "d", "Incremental");
        assertThatThrownBy(() -> new TemplateEngine(JSON.readTree(t), "/t",
                JSON.readTree("{\"pw\":{\"value\":\"short-pw\"}}"), "/p", ctx).plan())
                .isInstanceOf(TemplateError.class).message().doesNotContain("short-pw");
    }

    @Test
    void aSecureValueIsScrubbedFromExpressionErrors() throws Exception {
        String t = """
                {"parameters": {"pw": {"type": "securestring"}},
                 "resources": [{"type": "Microsoft.ContainerInstance/containerGroups", "name": "g",
                   "properties": {"n": "[int(parameters('pw'))]"}}]}""";
        var ctx = new TemplateEngine.Context("s", "t", "rg", "westeurope", "d", "Incremental");
        assertThatThrownBy(() -> new TemplateEngine(JSON.readTree(t), "/t",
                JSON.readTree("{\"pw\":{\"value\":\"hunter2-secret\"}}"), "/p", ctx).plan())
                .isInstanceOf(TemplateError.class).hasMessageContaining("'***' is not an integer")
                .message().doesNotContain("hunter2-secret");
    }

    @Test
    void dependsOnOrdersResourcesAndCyclesAreRefused() throws Exception {
        String group = "{\"type\":\"Microsoft.ContainerInstance/containerGroups\",\"apiVersion\":\"2023-05-01\","
                + "\"name\":\"%s\",\"properties\":{}%s}";
        String t = "{\"resources\":["
                + group.formatted("c",
                        ",\"dependsOn\":[\"[resourceId('Microsoft.ContainerInstance/containerGroups', 'b')]\"]")
                + "," + group.formatted("b", ",\"dependsOn\":[\"a\"]") + "," + group.formatted("a", "") + "]}";
        var ctx = new TemplateEngine.Context("s", "t", "rg", "westeurope", "d", "Incremental");
        var plan = new TemplateEngine(JSON.readTree(t), "/t", null, "/p", ctx).plan();
        assertThat(plan.resources()).extracting(TemplateEngine.Resource::name).containsExactly("a", "b", "c");
        assertThat(plan.resources().get(0).body().get("location").asText()).isEqualTo("westeurope");

        String cyclic = "{\"resources\":[" + group.formatted("a", ",\"dependsOn\":[\"b\"]") + ","
                + group.formatted("b", ",\"dependsOn\":[\"Microsoft.ContainerInstance/containerGroups/a\"]") + "]}";
        assertThatThrownBy(() -> new TemplateEngine(JSON.readTree(cyclic), "/t", null, "/p", ctx).plan())
                .isInstanceOf(TemplateError.class).hasMessageContaining("Circular dependency")
                .hasMessageContaining("a -> b -> a");
        String unknown = "{\"resources\":[" + group.formatted("a", ",\"dependsOn\":[\"zzz\"]") + "]}";
        assertThatThrownBy(() -> new TemplateEngine(JSON.readTree(unknown), "/t", null, "/p", ctx).plan())
                .isInstanceOf(TemplateError.class).hasMessageContaining("'zzz' is not defined");
        String conditional = "{\"resources\":[" + group.formatted("a", ",\"condition\":\"[equals(1, 2)]\"") + ","
                + group.formatted("b", "") + "]}";
        assertThat(new TemplateEngine(JSON.readTree(conditional), "/t", null, "/p", ctx).plan().resources())
                .extracting(TemplateEngine.Resource::name).isEqualTo(List.of("b"));
    }

    @Test
    void errorsNameLineAndColumnInTheRequestBody() {
        String body = "{\n  \"properties\": {\n    // a comment\n    \"template\": {\n      \"resources\": [],\n"
                + "      \"outputs\": {\"o\": {\"type\": \"string\", \"value\": \"[bogus()]\"}}\n    }\n  }\n}";
        var json = LocatedJson.parse(body);
        var e = new TemplateError("/properties/template/outputs/o/value", "x").toArm(json);
        assertThat(e.getMessage()).contains("line '6'").contains("column '");
        var parse = org.junit.jupiter.api.Assertions.assertThrows(LocatedJson.ParseError.class,
                () -> LocatedJson.parse("{\n  \"a\": [1, 2,,]\n}"));
        assertThat(parse.line).isEqualTo(2);
        assertThat(parse.toArm().getMessage()).contains("at line '2' and column '");
    }
}
