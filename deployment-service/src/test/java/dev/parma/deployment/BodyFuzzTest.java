package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the container-group body: 1000 seeded random mutations of a valid body (structural: drop, retype,
 * rename, duplicate, nest; and textual: truncate, flip, splice). Every answer is a success or a 4xx CloudError,
 * never a 5xx. The seed is printed; rerun one with -Dfuzz.seed=N. Also PATCH (tags only).
 */
@QuarkusTest
@DeploymentTestResources
class BodyFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String BASE = "/subscriptions/sub-fuzz/resourceGroups/fuzz/providers/Microsoft.ContainerInstance/containerGroups/";
    static final String VALID = """
            {"location": "westeurope", "tags": {"team": "a"},
             "properties": {"sku": "Standard", "osType": "Linux", "restartPolicy": "OnFailure",
               "containers": [
                 {"name": "web", "properties": {"image": "busybox:1.36", "command": ["/bin/sh", "-c", "sleep 1"],
                   "ports": [{"port": 80, "protocol": "TCP"}],
                   "environmentVariables": [{"name": "A", "value": "1"}, {"name": "S", "secureValue": "hidden"}],
                   "resources": {"requests": {"cpu": 1, "memoryInGB": 1.5}}}},
                 {"name": "side", "properties": {"image": "busybox:1.36", "command": ["sleep", "1"],
                   "resources": {"requests": {"cpu": "0.5", "memoryInGb": "0.5"}}}}],
               "ipAddress": {"type": "Public", "ports": [{"port": "80", "protocol": "tcp"}]}}}""";

    /**
     * The groups this test created are deleted (and gone) before the next test class: otherwise they wait in
     * Pending and are placed on the nodes other tests register.
     */
    @org.junit.jupiter.api.AfterEach
    void deleteWhatWasCreated() {
        var names = new ArrayList<String>(List.of("tagged", "nullcmd"));
        for (int i = 0; i < 25; i++) {
            names.add("g" + i);
        }
        for (String name : names) {
            given().delete(BASE + name + "?api-version=2025-09-01").then()
                    .statusCode(org.hamcrest.Matchers.lessThan(300));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> names.stream()
                .allMatch(n -> given().get(BASE + n + "?api-version=2025-09-01").statusCode() == 404));
    }

    @Test
    void aThousandMutationsOfAValidBodyAreAnsweredWithSuccessOrA4xxCloudError() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261125L);
        System.out.println("BodyFuzzTest seed: " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        var random = new SplittableRandom(seed);
        JsonNode valid = JSON.readTree(VALID);
        var statuses = new TreeMap<Integer, Integer>();
        for (int i = 0; i < 1000; i++) {
            String body = mutate(valid, random);
            var r = given().contentType(ContentType.JSON).body(body)
                    .put(BASE + "g" + (i % 25) + "?api-version=2025-09-01");
            int status = r.statusCode();
            statuses.merge(status, 1, Integer::sum);
            assertThat(status).as("seed %d, mutation %d, body %s: %s", seed, i, body, r.asString()).isLessThan(500);
            if (status >= 400) {
                JsonNode error = JSON.readTree(r.asString());
                assertThat(error.at("/error/code").asText()).as("seed %d, mutation %d: a CloudError", seed, i)
                        .isNotBlank();
                assertThat(error.at("/error/message").asText()).isNotBlank();
                assertThat(r.asString()).as("secure values are never echoed").doesNotContain("hidden");
            }
        }
        System.out.println("BodyFuzzTest statuses: " + statuses);
        assertThat(statuses.keySet()).as("some mutations are refused").anyMatch(s -> s >= 400);
    }

    /**
     * Found by the fuzzer (seed 4754668778433): {@code "command": [null, "1"]} used to be stored and then fail with a
     * NullPointerException when the workload was built (500). The validator now refuses null entries.
     */
    @Test
    void nullCommandEntriesAreRefused() {
        String body = VALID.replace("\"command\": [\"sleep\", \"1\"]", "\"command\": [null, \"1\"]");
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).body(body).put(BASE + "nullcmd?api-version=2025-09-01").then()
                    .statusCode(400);
        }
    }

    @Test
    void patchReplacesTagsOnlyAndRefusesEverythingElse() throws Exception {
        given().contentType(ContentType.JSON).body(VALID).put(BASE + "tagged?api-version=2025-09-01").then()
                .statusCode(201);
        given().contentType(ContentType.JSON).body("{\"tags\": {\"env\": \"prod\", \"n\": 7}}")
                .patch(BASE + "tagged?api-version=2025-09-01").then().statusCode(200);
        JsonNode g = JSON.readTree(given().get(BASE + "tagged?api-version=2025-09-01").asString());
        assertThat(g.get("tags").toString()).isEqualTo("{\"env\":\"prod\",\"n\":\"7\"}");
        assertThat(g.at("/properties/containers/0/name").asText()).isEqualTo("web");
        for (String bad : List.of("{\"location\": \"eastus\"}", "{\"tags\": \"x\"}", "{\"tags\": {\"a\": {}}}", "[]",
                "not json", "")) {
            given().contentType(ContentType.JSON).body(bad).patch(BASE + "tagged?api-version=2025-09-01").then()
                    .statusCode(400);
        }
        given().contentType(ContentType.JSON).body("{\"tags\": {}}").patch(BASE + "nosuch?api-version=2025-09-01")
                .then().statusCode(404);
    }

    static String mutate(JsonNode valid, SplittableRandom random) {
        JsonNode copy = valid.deepCopy();
        int structural = 1 + random.nextInt(3);
        for (int k = 0; k < structural; k++) {
            copy = mutateTree(copy, random);
        }
        String text = copy.toString();
        if (random.nextInt(4) == 0) {
            text = mutateText(text, random);
        }
        return text;
    }

    static JsonNode mutateTree(JsonNode root, SplittableRandom random) {
        var containers = new ArrayList<JsonNode>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return random.nextBoolean() ? root : NODES.objectNode().set("properties", root);
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o && o.size() > 0) {
            var names = new ArrayList<String>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(5)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(name, randomValue(random));
                case 2 -> {
                    JsonNode v = o.remove(name);
                    o.set(random.nextBoolean() ? name.toUpperCase() : name + "x", v);
                }
                case 3 -> o.set("unknown" + random.nextInt(10), randomValue(random));
                default -> o.set(name, NODES.arrayNode().add(o.get(name)));
            }
        } else if (target instanceof ArrayNode a) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (a.size() > 0) {
                        a.remove(random.nextInt(a.size()));
                    }
                }
                case 1 -> {
                    if (a.size() > 0) {
                        a.add(a.get(random.nextInt(a.size())).deepCopy());
                    }
                }
                case 2 -> a.add(randomValue(random));
                default -> {
                    if (a.size() > 0) {
                        a.set(random.nextInt(a.size()), randomValue(random));
                    }
                }
            }
        } else if (random.nextInt(10) == 0) {
            return randomValue(random);
        }
        return root;
    }

    static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.elements().forEachRemaining(c -> collect(c, out));
        }
    }

    static JsonNode randomValue(SplittableRandom random) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(-1);
            case 4 -> NODES.numberNode(1e308);
            case 5 -> NODES.numberNode(0.0001);
            case 6 -> NODES.textNode("");
            case 7 -> NODES.textNode("x".repeat(1 + random.nextInt(5000)));
            case 8 -> NODES.textNode("\u0000\u202e\ud83d\ude00<script>' OR 1=1 --");
            case 9 -> NODES.textNode("NaN");
            case 10 -> NODES.textNode("-5");
            case 11 -> NODES.objectNode();
            case 12 -> NODES.arrayNode();
            case 13 -> {
                JsonNode deep = NODES.textNode("bottom");
                for (int i = 0; i < 200; i++) {
                    deep = NODES.arrayNode().add(deep);
                }
                yield deep;
            }
            case 14 -> NODES.textNode(random.nextBoolean() ? "CONFIDENTIAL" : "standard");
            default -> NODES.textNode("1e400");
        };
    }

    static String mutateText(String text, SplittableRandom random) {
        int at = random.nextInt(text.length());
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + (char) random.nextInt(0x20, 0x7f) + text.substring(at + 1);
            case 2 -> text.substring(0, at) + "{\"\":[" + text.substring(at);
            default ->
                text.substring(0, at) + text.substring(at, Math.min(text.length(), at + 40)) + text.substring(at);
        };
    }
}
