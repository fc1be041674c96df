package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend restarting or failing over: idempotent calls (GET, PUT of the whole group, DELETE) are retried once and
 * the tenant never notices a single failure; a POST is never repeated; every 503 the tenant sees is a CloudError
 * with Retry-After (the backend's when it gave one).
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class BackendRetryTest {

    static final String GROUPS = "/subscriptions/sub-a/resourceGroups/rg/providers/Microsoft.ContainerInstance"
            + "/containerGroups/";
    static final String V = "?api-version=2025-09-01";
    static final String BODY = "{\"location\":\"westeurope\",\"properties\":{\"containers\":[{\"name\":\"app\","
            + "\"properties\":{\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}}]}}";

    static io.restassured.specification.RequestSpecification owner() {
        return given().header("Authorization", Tokens.bearer("tenant-a", "tenant-owner")).contentType(ContentType.JSON);
    }

    @AfterEach
    void clearScript() {
        FakeBackend.failures.clear();
        FakeBackend.failureRetryAfter = null;
    }

    static void failNext(String request, Integer... statuses) {
        FakeBackend.failures.put(request, new ArrayDeque<>(List.of(statuses)));
    }

    static long seen(String request) {
        return FakeBackend.requests.stream().filter(request::equals).count();
    }

    @Test
    void aGetThatFailsOnceIsRetriedTransparently() {
        owner().body(BODY).put(GROUPS + "retried-get" + V).then().statusCode(201);
        String get = "GET " + GROUPS + "retried-get";
        long before = seen(get);
        failNext(get, 503);
        owner().get(GROUPS + "retried-get" + V).then().statusCode(200)
                .body("properties.provisioningState", equalTo("Succeeded"));
        assertThat(seen(get) - before).isEqualTo(2);
    }

    @Test
    void aPutWhoseConnectionDropsIsRetriedAndADeleteAnswered502Too() {
        String put = "PUT " + GROUPS + "retried-put";
        failNext(put, FakeBackend.DROP);
        owner().body(BODY).put(GROUPS + "retried-put" + V).then().statusCode(201);
        assertThat(seen(put)).isEqualTo(2);

        String delete = "DELETE " + GROUPS + "retried-put";
        failNext(delete, 502);
        owner().delete(GROUPS + "retried-put" + V).then().statusCode(202);
        assertThat(seen(delete)).isEqualTo(2);
    }

    @Test
    void aBackendStillAnswering503IsRetriedOnceThenA503WithRetryAfterAndACloudError() {
        String get = "GET " + GROUPS + "still-down";
        failNext(get, 503, 503);
        owner().get(GROUPS + "still-down" + V).then().statusCode(503).contentType(ContentType.JSON)
                .header("Retry-After", "5").body("error.code", equalTo("ServiceUnavailable"));
        assertThat(seen(get)).isEqualTo(2);

        // the backend's own Retry-After passes through
        FakeBackend.failureRetryAfter = "17";
        failNext(get, 503, 503);
        owner().get(GROUPS + "still-down" + V).then().statusCode(503).header("Retry-After", "17")
                .body("error.code", equalTo("ServiceUnavailable"));
        assertThat(seen(get)).isEqualTo(4);
    }

    @Test
    void aPostIsNeverRepeated() {
        owner().body(BODY).put(GROUPS + "posted" + V).then().statusCode(201);
        String restart = "POST " + GROUPS + "posted/restart";
        failNext(restart, 503, 503);
        owner().post(GROUPS + "posted/restart" + V).then().statusCode(503).header("Retry-After", "5")
                .body("error.code", equalTo("ServiceUnavailable"));
        assertThat(seen(restart)).isEqualTo(1);

        String exec = "POST " + GROUPS + "posted/containers/app/exec";
        failNext(exec, FakeBackend.DROP);
        owner().body("{\"command\":\"sh\"}").post(GROUPS + "posted/containers/app/exec" + V).then().statusCode(503)
                .header("Retry-After", "5").body("error.code", equalTo("ServiceUnavailable"));
        assertThat(seen(exec)).isEqualTo(1);
    }
}
