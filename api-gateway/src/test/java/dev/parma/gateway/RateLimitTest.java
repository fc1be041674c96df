package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The default create limit (100 per 5 minutes per subscription and region) answered as ARM does: 429. */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class RateLimitTest {

    static final String BASE = "/subscriptions/rl-sub/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/";

    @Test
    void the101stCreateInARegionIs429WithRetryAfter() {
        String auth = Tokens.owner();
        for (int i = 0; i < 100; i++) {
            given().header("Authorization", auth).contentType(ContentType.JSON)
                    .body("{\"location\":\"eastus\",\"properties\":{}}").put(BASE + "g" + i + "?api-version=2025-09-01")
                    .then().statusCode(201);
        }
        var limited = given().header("Authorization", auth).contentType(ContentType.JSON)
                .body("{\"LOCATION\":\"East US\",\"properties\":{}}").put(BASE + "g100?api-version=2025-09-01");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.jsonPath().getString("error.code")).isEqualTo("TooManyRequests");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 300);
        // another region of the same subscription is not affected
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body("{\"location\":\"westus\",\"properties\":{}}").put(BASE + "w?api-version=2025-09-01").then()
                .statusCode(201);
        // deletes share the budget of the group's region (read from the group)
        given().header("Authorization", auth).delete(BASE + "g1?api-version=2025-09-01").then().statusCode(429);
        given().header("Authorization", auth).delete(BASE + "w?api-version=2025-09-01").then().statusCode(202);
    }
}
