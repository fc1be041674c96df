package dev.parma.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, item 7: input that used to reach the database or the heap (500s, megabyte strings and errors) is a 400
 * CloudError naming what is wrong, bounded in size, with no Java type names; the stand-in deployment service sees
 * none of it.
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class BadInputTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String V = "api-version=2025-09-01";
    static final String SUB = "/subscriptions/s1";
    static final String GROUPS = SUB + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups";
    static final String LOCATIONS = SUB + "/providers/Microsoft.ContainerInstance/locations/";

    static Stream<Arguments> refused() {
        String nul = Base64.getUrlEncoder().withoutPadding().encodeToString("rg/\0".getBytes());
        return Stream.of(
                Arguments.of("GET", SUB + "/resourceGroups/" + "r".repeat(91)
                        + "/providers/Microsoft.ContainerInstance/containerGroups/app?" + V, null,
                        "InvalidResourceGroupName"),
                Arguments.of("GET", LOCATIONS + "l".repeat(65) + "/usages?" + V, null,
                        "LocationNotAvailableForResourceType"),
                Arguments.of("PUT", GROUPS + "/app?" + V, "{\"location\": \"" + "l".repeat(65) + "\"}",
                        "LocationNotAvailableForResourceType"),
                Arguments.of("PUT", GROUPS + "/app?" + V, "{\"location\": \"mars\"}",
                        "LocationNotAvailableForResourceType"),
                Arguments.of("GET", LOCATIONS + "westeurope/operations/ab%00cd?" + V, null, "InvalidRequestUri"),
                Arguments.of("GET", SUB + "/resourceGroups/rg/providers/Microsoft.Resources/deployments/d"
                        + "/operationStatuses/a%00b?api-version=2024-03-01", null, "InvalidRequestUri"),
                Arguments.of("GET", GROUPS + "?" + V + "&$skipToken=%00", null, "InvalidRequestUri"),
                Arguments.of("GET", GROUPS + "?" + V + "&$skipToken=" + nul, null, "InvalidSkipToken"),
                Arguments.of("GET", GROUPS + "?" + V + "&$skipToken=AA", null, "InvalidSkipToken"),
                Arguments.of("GET", GROUPS + "/app/containers/c/logs?" + V + "&tail=x", null, "InvalidParameter"),
                Arguments.of("GET", GROUPS + "/app%zz?" + V, null, "InvalidRequestUri"),
                Arguments.of("GET", GROUPS + "/app?" + V + "&x=" + "a".repeat(9000), null, "RequestUriTooLong"));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("refused")
    void badInputIsA4xxCloudErrorThatReachesNoBackend(String method, String target, String body, String code)
            throws Exception {
        FakeBackend.rawRequests.clear();
        var answer = RawHttp.send(RestAssured.port, method, target, Tokens.owner(), body);
        assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
        assertThat(JSON.readTree(answer.body()).at("/error/code").asText()).isEqualTo(code);
        assertThat(answer.body().length()).isLessThan(4096);
        assertThat(FakeBackend.rawRequests).isEmpty();
    }

    @Test
    void aRegionIsOneKeyHoweverItIsSpelledAndIsForwardedCanonical() throws Exception {
        var answer = RawHttp.send(RestAssured.port, "PUT", GROUPS + "/spelled?" + V, Tokens.owner(),
                "{\"location\": \"West Europe\", \"properties\": {}}");
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
        assertThat(JSON.readTree(FakeBackend.groups.get("/subscriptions/s1/resourcegroups/rg/providers"
                + "/microsoft.containerinstance/containergroups/spelled")).get("location").asText())
                .isEqualTo("westeurope");
        var usages = RawHttp.send(RestAssured.port, "GET", LOCATIONS + "West%20Europe/usages?" + V, Tokens.owner(),
                null);
        assertThat(usages.status()).isEqualTo(200);
        assertThat(FakeBackend.requests).contains("GET " + LOCATIONS + "westeurope/usages");
    }

    @Test
    void aSmallTemplateCannotBuildAHugeString() throws Exception {
        // each variable doubles the one before: 24 of them would make 16 MB from 1 character
        StringBuilder vars = new StringBuilder("\"v0\": \"x\"");
        for (int i = 1; i <= 24; i++) {
            vars.append(", \"v").append(i).append("\": \"[concat(variables('v").append(i - 1)
                    .append("'), variables('v").append(i - 1).append("'))]\"");
        }
        String template = "{\"variables\": {" + vars + "}, \"resources\": [], \"outputs\": {\"o\": {\"type\":"
                + " \"string\", \"value\": \"[length(variables('v24'))]\"}}}";
        String request = "{\"properties\": {\"mode\": \"Incremental\", \"template\": " + template + "}}";
        assertThat(request.length()).isLessThan(2000);
        var answer = RawHttp.send(RestAssured.port, "PUT", SUB + "/resourceGroups/big/providers"
                + "/Microsoft.Resources/deployments/doubling?api-version=2024-03-01", Tokens.owner(), request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("InvalidTemplate");
        assertThat(error.get("message").asText()).contains("longer than");

        String replace = "{\"resources\": [], \"variables\": {\"a\": \"[replace('" + "a".repeat(1000)
                + "', '', '" + "b".repeat(2000) + "')]\"}, \"outputs\": {\"o\": {\"type\": \"string\", \"value\":"
                + " \"[variables('a')]\"}}}";
        answer = RawHttp.send(RestAssured.port, "PUT", SUB + "/resourceGroups/big/providers"
                + "/Microsoft.Resources/deployments/replacing?api-version=2024-03-01", Tokens.owner(),
                "{\"properties\": {\"mode\": \"Incremental\", \"template\": " + replace + "}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("longer than");
    }

    @Test
    void aSmallRequestCannotYieldAHugeError() throws Exception {
        // an expression error quotes the expression; a 1 KB expression repeated must not make a megabyte answer
        String expression = "[concat(" + "'x', ".repeat(150) + "nope())]";
        String template = "{\"resources\": [{\"type\": \"Microsoft.ContainerInstance/containerGroups\", \"name\": \""
                + expression + "\", \"properties\": {}}]}";
        var answer = RawHttp.send(RestAssured.port, "PUT", SUB + "/resourceGroups/big/providers"
                + "/Microsoft.Resources/deployments/echo?api-version=2024-03-01", Tokens.owner(),
                "{\"properties\": {\"mode\": \"Incremental\", \"template\": " + template + "}}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().length()).isLessThan(4096);
    }

    @Test
    void aBackendErrorNamingJavaTypesIsRelayedWithoutThem() throws Exception {
        var answer = RawHttp.send(RestAssured.port, "PUT", GROUPS + "/leak-types?" + V, Tokens.owner(),
                "{\"location\": \"westeurope\", \"properties\": {}}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).at("/error/code").asText()).isEqualTo("InvalidRequestContent");
        assertThat(answer.body()).doesNotContain("java.").doesNotContain("dev.parma");
    }
}
