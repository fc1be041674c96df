package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Quota is reserved with the group in one transaction: concurrent creates never overbook it. */
@QuarkusTest
@DeploymentTestResources
class QuotaTest {

    static String body(double cpu) {
        return """
                {"location":"westeurope","properties":{"containers":[{"name":"c","properties":{"image":"busybox",
                "command":["true"],"resources":{"requests":{"cpu":%s,"memoryInGB":0.5}}}}]}}""".formatted(cpu);
    }

    static String group(String sub, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/"
                + name + "?api-version=2025-09-01";
    }

    static JsonPath usages(String sub) {
        return given()
                .get("/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/locations/westeurope/usages")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void concurrentCreatesBeyondTheLimitAdmitExactlyTheLimit() throws Exception {
        String sub = "quota-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"limit\":5}")
                .put("/admin/quotas/" + sub + "/westeurope/StandardContainerGroups").then().statusCode(204);

        var pool = Executors.newFixedThreadPool(12);
        var calls = new ArrayList<Callable<io.restassured.response.Response>>();
        for (int i = 0; i < 12; i++) {
            String name = "g" + i;
            calls.add(() -> given().contentType(ContentType.JSON).body(body(0.5)).put(group(sub, name)));
        }
        var responses = new ArrayList<io.restassured.response.Response>();
        for (var f : pool.invokeAll(calls)) {
            responses.add(f.get());
        }
        pool.shutdown();

        assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(5);
        var refused = responses.stream().filter(r -> r.statusCode() != 201).toList();
        assertThat(refused).hasSize(7).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("ContainerGroupQuotaReached");
            assertThat(r.jsonPath().getString("error.message"))
                    .contains("'StandardContainerGroups'", "Limit: '5'", "Usage: '5'", "Requested: '1'");
        });
        var u = usages(sub);
        assertThat(u.getDouble("value.find { it.name.value == 'StandardContainerGroups' }.currentValue")).isEqualTo(5);
        assertThat(u.getDouble("value.find { it.name.value == 'StandardContainerGroups' }.limit")).isEqualTo(5);
        assertThat(u.getDouble("value.find { it.name.value == 'StandardCores' }.currentValue")).isEqualTo(2.5);

        // Deleting releases quota, and the next create fits again.
        String admitted = responses.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow()
                .jsonPath().getString("name");
        given().delete(group(sub, admitted)).then().statusCode(org.hamcrest.Matchers.oneOf(200, 202));
        assertThat(usages(sub).getDouble("value.find { it.name.value == 'StandardContainerGroups' }.currentValue"))
                .isEqualTo(4);
        given().contentType(ContentType.JSON).body(body(0.5)).put(group(sub, "late")).then().statusCode(201);

        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).containsPattern("parma_quota_refusals_total\\{quota=\"StandardContainerGroups\"\\} [1-9]")
                .containsPattern("parma_lifecycle_transitions_total\\{from=\"\\w+\",to=\"Deleted\"\\} [1-9]")
                .contains("parma_container_groups{phase=\"Pending\",sku=\"Standard\"}")
                .contains("parma_outbox_pending");
    }

    @Test
    void coresAreCountedPerSkuAndTheErrorSaysLimitUsageAndRequested() {
        String sub = "cores-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"limit\":3}")
                .put("/admin/quotas/" + sub + "/westeurope/StandardCores").then().statusCode(204);
        given().contentType(ContentType.JSON).body(body(2)).put(group(sub, "a")).then().statusCode(201);
        given().contentType(ContentType.JSON).body(body(2)).put(group(sub, "b")).then().statusCode(409)
                .body("error.code", equalTo("ContainerGroupQuotaReached"))
                .body("error.message", containsString("'StandardCores' exceeded in region 'westeurope'. Limit: '3',"
                        + " Usage: '2' Requested: '2'."));
        // Growing an existing group needs quota for the difference only.
        given().contentType(ContentType.JSON).body(body(3)).put(group(sub, "a")).then().statusCode(200);
        given().contentType(ContentType.JSON).body(body(3.5)).put(group(sub, "a")).then().statusCode(409);
        assertThat(usages(sub).getDouble("value.find { it.name.value == 'StandardCores' }.currentValue")).isEqualTo(3);
    }

    @Test
    void unknownQuotaNamesAndBadLimitsAreRejected() {
        given().contentType(ContentType.JSON).body("{\"limit\":3}").put("/admin/quotas/s/westeurope/GpuCores")
                .then().statusCode(400).body("error.code", equalTo("InvalidQuotaName"));
        given().contentType(ContentType.JSON).body("{\"limit\":-1}").put("/admin/quotas/s/westeurope/StandardCores")
                .then().statusCode(400).body("error.target", equalTo("limit"));
    }
}
