package dev.parma.gateway.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 1000 seeded random mutations of a real template (hello-world, see test resources' PROVENANCE.md) and of its
 * expressions: the engine either plans the deployment or throws a TemplateError (an InvalidTemplate), never
 * anything else. The seed is printed; rerun one with -Dfuzz.seed=N.
 */
class TemplateFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final List<String> FRAGMENTS = List.of("[", "]", "(", ")", "'", "''", ",", ".", "[0]", "concat(",
            "parameters('name')", "variables('x')", "resourceGroup()", "if(true,", "int('x')", "length(", "[[", " ",
            "reference('g')", "format('{9}')", "uniqueString()", "base64(", "-1", "1e9", "null", "toLower(1)");

    @Test
    void mutatedTemplatesAreDeployedOrInvalidNeverAnotherFailure() throws Exception {
        long seed = Long.getLong("fuzz.seed", 8L);
        System.out.println("TemplateFuzzTest seed: " + seed);
        String text;
        try (InputStream in = getClass()
                .getResourceAsStream("/templates/confidential-container-demos_hello-world-aci.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode valid = JSON.readTree(text);
        var random = new SplittableRandom(seed);
        var ctx = new TemplateEngine.Context("s", "t", "rg", "westeurope", "d", "Incremental");
        int planned = 0;
        for (int i = 0; i < 1000; i++) {
            JsonNode t = valid.deepCopy();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                t = mutate(t, random);
            }
            JsonNode params = JSON.readTree(random.nextBoolean() ? "{}" : "{\"port\": {\"value\": \"8080\"}}");
            try {
                var engine = new TemplateEngine(t, "/t", params, "/p", ctx);
                engine.plan();
                engine.outputs(id -> JSON.createObjectNode());
                planned++;
            } catch (TemplateError expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("seed " + seed + ", mutation " + i + ": " + e + " for " + t, e);
            }
        }
        System.out.println("TemplateFuzzTest: " + planned + " of 1000 mutations still planned");
        assertThat(planned).isPositive().isLessThan(1000);
    }

    static JsonNode mutate(JsonNode root, SplittableRandom random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return root;
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            JsonNode v = o.get(name);
            switch (random.nextInt(5)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(name, randomValue(random));
                case 2 -> {
                    if (v.isTextual()) {
                        o.put(name, spliceText(v.asText(), random));
                    } else {
                        o.set(name, randomValue(random));
                    }
                }
                case 3 -> o.set(name.toUpperCase(), o.remove(name));
                default -> o.set(name, NODES.arrayNode().add(v));
            }
        } else if (target instanceof ArrayNode a) {
            if (a.size() > 0 && random.nextBoolean()) {
                a.remove(random.nextInt(a.size()));
            } else {
                a.add(randomValue(random));
            }
        }
        return root;
    }

    static String spliceText(String s, SplittableRandom random) {
        int at = s.isEmpty() ? 0 : random.nextInt(s.length());
        return switch (random.nextInt(3)) {
            case 0 -> s.substring(0, at);
            case 1 -> s.substring(0, at) + FRAGMENTS.get(random.nextInt(FRAGMENTS.size())) + s.substring(at);
            default -> "[" + "concat(".repeat(random.nextInt(300)) + "'x'" + ")".repeat(random.nextInt(300)) + "]";
        };
    }

    static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.elements().forEachRemaining(c -> collect(c, out));
        }
    }

    static JsonNode randomValue(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.textNode("[parameters('" + (random.nextBoolean() ? "name" : "nope") + "')]");
            case 3 -> NODES.textNode("[variables('v')]");
            case 4 -> NODES.objectNode();
            case 5 -> NODES.arrayNode();
            case 6 -> NODES.booleanNode(random.nextBoolean());
            default -> NODES.textNode("[" + FRAGMENTS.get(random.nextInt(FRAGMENTS.size())) + "]");
        };
    }
}
