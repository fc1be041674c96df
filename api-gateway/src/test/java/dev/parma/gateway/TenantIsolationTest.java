package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, item 2: tenant-a's owner (subscription s1) tries to reach a running group in tenant-b's subscription
 * (sub-b) through names. A template resource name or a path that would climb out of its resource group — plain,
 * percent-encoded, dot-encoded, double-encoded, an absolute resource id, a name with '/' — is refused with a 400
 * CloudError, and the stand-in deployment service sees no request for sub-b at all (its raw paths, decoded once and
 * twice, never name it) and still holds the victim's group as it was.
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class TenantIsolationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VICTIM = "/subscriptions/sub-b/resourceGroups/rg/providers/Microsoft.ContainerInstance"
            + "/containerGroups/app";
    static final String VICTIM_BODY = "{\"id\":\"victim\",\"properties\":{\"provisioningState\":\"Succeeded\"}}";
    /** Segments from {@code …/containerGroups/x} up to the root. */
    static final int CLIMB = 8;

    @BeforeEach
    void victimRuns() {
        FakeBackend.groups.put(VICTIM.toLowerCase(Locale.ROOT), VICTIM_BODY);
        FakeBackend.rawRequests.clear();
    }

    @AfterEach
    void victimIsUntouched() {
        // a deployment accepted by mistake runs in the background: give it the time to do its harm
        try {
            Thread.sleep(Duration.ofMillis(300).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(FakeBackend.groups.get(VICTIM.toLowerCase(Locale.ROOT))).isEqualTo(VICTIM_BODY);
        for (String raw : FakeBackend.rawRequests) {
            String once = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            String twice = URLDecoder.decode(once.replace("+", "%2B"), StandardCharsets.UTF_8);
            assertThat(twice.toLowerCase(Locale.ROOT)).as("the backend got " + raw).doesNotContain("sub-b")
                    .doesNotContain("..");
        }
    }

    static Stream<Arguments> names() {
        String up = "/..".repeat(CLIMB);
        return Stream.of(Arguments.of("plain traversal", "x" + up + VICTIM),
                Arguments.of("percent-encoded traversal", ("x" + up + VICTIM).replace("/", "%2F")),
                Arguments.of("encoded dots", "x" + "/%2E%2E".repeat(CLIMB) + VICTIM),
                Arguments.of("double-encoded traversal", ("x" + up + VICTIM).replace("/", "%252F")
                        .replace(".", "%252E")),
                Arguments.of("an absolute resource id", VICTIM),
                Arguments.of("a name with '/'", "app/x"),
                Arguments.of("a dot segment", ".."),
                Arguments.of("backslashes", ("x" + up + VICTIM).replace('/', '\\')),
                Arguments.of("a traversal built by an expression", "[concat('x', '" + up + "', '" + VICTIM + "')]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void aTemplateResourceNameCannotLeaveItsResourceGroup(String why, String name) throws Exception {
        String template = "{\"resources\": [{\"type\": \"Microsoft.ContainerInstance/containerGroups\","
                + " \"apiVersion\": \"2023-05-01\", \"name\": " + JSON.writeValueAsString(name) + ","
                + " \"location\": \"westeurope\", \"properties\": {\"containers\": [{\"name\": \"c\", \"properties\":"
                + " {\"image\": \"attacker/image\", \"resources\": {\"requests\": {\"cpu\": 1, \"memoryInGB\": 1}}}}]}}]}";
        String url = "/subscriptions/s1/resourceGroups/iso/providers/Microsoft.Resources/deployments/d"
                + Math.abs(why.hashCode());
        var answer = given().header("Authorization", Tokens.owner()).contentType(ContentType.JSON)
                .body("{\"properties\": {\"mode\": \"Incremental\", \"template\": " + template + "}}")
                .put(url + "?api-version=2024-03-01");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.asString()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("InvalidTemplate");
        assertThat(error.get("target").asText()).isEqualTo("/properties/template/resources/0/name");
    }

    static Stream<Arguments> paths() {
        String group = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/";
        String up = "/..".repeat(CLIMB);
        return Stream.of(Arguments.of("plain traversal", group + "x" + up + VICTIM),
                Arguments.of("percent-encoded traversal", group + ("x" + up + VICTIM).replace("/", "%2F")),
                Arguments.of("encoded dots", group + "x" + "/%2e%2E".repeat(CLIMB) + VICTIM),
                Arguments.of("double-encoded traversal", group + ("x" + up + VICTIM).replace("/", "%252F")),
                Arguments.of("a resource group that climbs", "/subscriptions/s1/resourceGroups/"
                        + ("../../.." + VICTIM).replace("/", "%2F")
                        + "/providers/Microsoft.ContainerInstance/containerGroups/app"),
                Arguments.of("an empty segment", "/subscriptions/s1//resourceGroups/rg/providers"
                        + "/Microsoft.ContainerInstance/containerGroups/app"),
                Arguments.of("a '.' segment", "/subscriptions/s1/resourceGroups/./providers"
                        + "/Microsoft.ContainerInstance/containerGroups/app"),
                Arguments.of("an escaped backslash", group + "x%5C..%5C..%5Capp"),
                Arguments.of("a malformed escape", group + "x%zz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void anApiPathThatIsNotCanonicalIsA400AndReachesNoBackend(String why, String path) throws Exception {
        for (String method : new String[]{"PUT", "GET", "DELETE"}) {
            var answer = RawHttp.send(RestAssured.port, method, path + "?api-version=2025-09-01", Tokens.owner(),
                    method.equals("PUT")
                            ? "{\"location\": \"westeurope\", \"properties\": {\"containers\": []}}"
                            : null);
            assertThat(answer.status()).as(method + " " + answer.body()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).at("/error/code").asText()).isNotBlank();
        }
        assertThat(FakeBackend.rawRequests).isEmpty();
    }
}
