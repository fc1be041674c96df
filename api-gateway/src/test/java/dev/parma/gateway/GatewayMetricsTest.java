package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own metrics, scraped from /q/metrics after the events they count: requests by route template and
 * status class, auth failures by reason, rate-limit refusals, and errors of the services behind it. They are served
 * on the management interface (loopback, its own port), never on the tenant port.
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(GatewayMetricsTest.OneWritePerWindow.class)
class GatewayMetricsTest {

    /** The fake backend, and a create limit of one per window so the second create is refused. */
    public static class OneWritePerWindow implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeBackend.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parma.limits.writes.short.max", "1");
        }
    }

    /** Relative to the management root, /q. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;
    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    static final String GROUP = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerInstance"
            + "/containerGroups/";

    /** The value of the sample {@code name{labels}} (labels in Prometheus' alphabetical order), or -1. */
    static double sample(String scrape, String name, String labels) {
        String prefix = name + "{" + labels + "}";
        return scrape.lines().filter(l -> l.startsWith(prefix + " ")).mapToDouble(
                l -> Double.parseDouble(l.substring(prefix.length() + 1).trim())).findFirst().orElse(-1);
    }

    /** How much the sample grew between two scrapes (other tests in this class count too). */
    static double delta(String before, String after, String name, String labels) {
        return sample(after, name, labels) - Math.max(0, sample(before, name, labels));
    }

    @Test
    void eventsAreCountedWhereTheyHappenAndScrapedUnderParmaGatewayNames() {
        String before = given().get(metrics).then().statusCode(200).extract().asString();
        String owner = Tokens.owner();
        given().header("Authorization", owner).contentType(ContentType.JSON)
                .body("{\"location\":\"eastus\",\"properties\":{}}").put(GROUP + "m1?api-version=2025-09-01")
                .then().statusCode(201);
        given().header("Authorization", owner).contentType(ContentType.JSON)
                .body("{\"location\":\"eastus\",\"properties\":{}}").put(GROUP + "m2?api-version=2025-09-01")
                .then().statusCode(429);
        given().get(GROUP + "m1?api-version=2025-09-01").then().statusCode(401);
        given().header("Authorization", "Basic x").get(GROUP + "m1?api-version=2025-09-01").then().statusCode(401);
        given().header("Authorization", "Bearer not.a.jwt").get(GROUP + "m1?api-version=2025-09-01").then()
                .statusCode(401);
        given().header("Authorization", Tokens.bearer("tenant-b", "tenant-owner"))
                .get(GROUP + "m1?api-version=2025-09-01").then().statusCode(404);
        given().header("Authorization", Tokens.bearer("tenant-a", "tenant-reader"))
                .get("/providers/Parma.Operations/nodes?api-version=2025-09-01").then().statusCode(403);
        FakeBackend.attestationDown = true;
        try {
            given().header("Authorization", Tokens.bearer("ops", "sre"))
                    .get("/providers/Parma.Operations/overview?api-version=2025-09-01").then().statusCode(200);
        } finally {
            FakeBackend.attestationDown = false;
        }

        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        String route = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerInstance"
                + "/containerGroups/{name}";
        String duration = "parma_gateway_request_duration_seconds_count";
        assertThat(delta(before, scrape, duration, "method=\"PUT\",route=\"" + route + "\",status=\"2xx\""))
                .isEqualTo(1);
        assertThat(delta(before, scrape, duration, "method=\"PUT\",route=\"" + route + "\",status=\"4xx\""))
                .isEqualTo(1);
        assertThat(delta(before, scrape, duration, "method=\"GET\",route=\"" + route + "\",status=\"4xx\""))
                .isEqualTo(4);
        assertThat(delta(before, scrape, duration,
                "method=\"GET\",route=\"/providers/Parma.Operations/overview\",status=\"2xx\"")).isEqualTo(1);
        assertThat(scrape).as("concrete paths never become labels").doesNotContain("containerGroups/m1");

        String auth = "parma_gateway_auth_failures_total";
        assertThat(delta(before, scrape, auth, "reason=\"missing_token\"")).isEqualTo(1);
        assertThat(delta(before, scrape, auth, "reason=\"not_bearer\"")).isEqualTo(1);
        assertThat(delta(before, scrape, auth, "reason=\"invalid_token\"")).isEqualTo(1);
        assertThat(delta(before, scrape, auth, "reason=\"cross_tenant\"")).isEqualTo(1);
        assertThat(delta(before, scrape, auth, "reason=\"forbidden\"")).isEqualTo(1);
        assertThat(sample(scrape, auth, "reason=\"expired_token\"")).as("registered at 0").isZero();
        assertThat(delta(before, scrape, "parma_gateway_rate_limited_total", "window=\"short\"")).isEqualTo(1);
        assertThat(delta(before, scrape, "parma_gateway_upstream_errors_total",
                "kind=\"server_error\",upstream=\"attestation\"")).isEqualTo(1);
        assertThat(delta(before, scrape, "parma_gateway_upstream_errors_total",
                "kind=\"unreachable\",upstream=\"deployment\"")).isZero();
    }

    @Test
    void aRegionIsOneBudgetHoweverItIsSpelledAndNoOtherNameOpensANewOne() {
        String group = "/subscriptions/sub-a2/resourceGroups/rg/providers/Microsoft.ContainerInstance"
                + "/containerGroups/";
        given().header("Authorization", Tokens.owner()).contentType(ContentType.JSON)
                .body("{\"location\":\"West Europe\",\"properties\":{}}").put(group + "r1?api-version=2025-09-01")
                .then().statusCode(201);
        given().header("Authorization", Tokens.owner()).contentType(ContentType.JSON)
                .body("{\"location\":\"westeurope\",\"properties\":{}}").put(group + "r2?api-version=2025-09-01")
                .then().statusCode(429);
        for (String other : new String[]{"westeurope2", "west-europe", "mars"}) {
            given().header("Authorization", Tokens.owner()).contentType(ContentType.JSON)
                    .body("{\"location\":\"" + other + "\",\"properties\":{}}")
                    .put(group + "r3?api-version=2025-09-01").then().statusCode(400)
                    .body("error.code", org.hamcrest.Matchers.equalTo("LocationNotAvailableForResourceType"));
        }
    }

    @Test
    void metricsAndOpenApiAreNotServedOnTheTenantPort() {
        for (String path : new String[]{"/q/metrics", "/q/openapi"}) {
            given().get(path).then().statusCode(404).body("error.code", org.hamcrest.Matchers.equalTo(
                    "ResourceNotFound"));
        }
        given().get(metrics).then().statusCode(200);
        given().get(openapi).then().statusCode(200);
    }
}
