package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two tenants (a owns sub-a, b owns sub-b), every role, every kind of access. Cross-tenant access answers 404
 * SubscriptionNotFound (as if the subscription did not exist); a role too weak inside its own tenant answers 403
 * AuthorizationFailed; SRE reads across tenants but never writes (403: it may know the resource exists).
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class AuthorizationMatrixTest {

    static final String V = "?api-version=2025-09-01";
    static final String BODY = "{\"location\":\"westeurope\",\"properties\":{\"containers\":[]}}";

    enum Op {
        PUT, GET, PATCH, DELETE, START, LIST_SUB, LIST_RG, USAGES, OPERATION, LOGS, EXEC
    }

    static String path(String sub, Op op) {
        String group = "/subscriptions/" + sub
                + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g";
        return switch (op) {
            case PUT, GET, PATCH, DELETE -> group;
            case START -> group + "/start";
            case LOGS -> group + "/containers/c/logs";
            case EXEC -> group + "/containers/c/exec";
            case LIST_SUB -> "/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/containerGroups";
            case LIST_RG ->
                "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups";
            case USAGES ->
                "/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/locations/westeurope/usages";
            case OPERATION ->
                "/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance/locations/westeurope/operations/x";
        };
    }

    static int call(String auth, String sub, Op op) {
        var req = given().header("Authorization", auth).contentType(ContentType.JSON);
        String url = path(sub, op) + V;
        var r = switch (op) {
            case PUT -> req.body(BODY).put(url);
            case PATCH -> req.body("{\"tags\":{\"a\":\"b\"}}").patch(url);
            case DELETE -> req.delete(url);
            case START -> req.post(url);
            case EXEC -> req.body("{\"command\":\"/bin/sh\"}").post(url);
            default -> req.get(url);
        };
        int status = r.statusCode();
        if (status == 404) {
            // distinguish the gateway's refusal from the backend's "no such group"
            return r.jsonPath().getString("error.code").equals("SubscriptionNotFound") ? 404 : 200;
        }
        if (status == 403) {
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("AuthorizationFailed");
        }
        return status == 403 || status == 401 ? status : 200;
    }

    static final List<Op> READS = List.of(Op.GET, Op.LIST_SUB, Op.LIST_RG, Op.OPERATION);
    static final List<Op> WRITES = List.of(Op.PUT, Op.PATCH, Op.START, Op.DELETE);

    /** role, own subscription or the other tenant's, op → expected outcome (200 = allowed). */
    static Stream<Arguments> matrix() {
        var rows = new ArrayList<Arguments>();
        for (String role : List.of("tenant-owner", "tenant-reader", "billing-reader", "sre")) {
            for (boolean own : List.of(true, false)) {
                for (Op op : Op.values()) {
                    int expected;
                    boolean write = WRITES.contains(op);
                    if (op == Op.EXEC) {
                        // tenant owners only: neither readers nor SRE get a shell in a confidential workload
                        expected = !own
                                ? (role.equals("sre") ? 403 : 404)
                                : role.equals("tenant-owner") ? 200 : 403;
                    } else if (op == Op.LOGS) {
                        // tenant owners and readers only; SRE never reads a tenant's logs
                        expected = !own
                                ? (role.equals("sre") ? 403 : 404)
                                : role.startsWith("tenant-") ? 200 : 403;
                    } else if (!own) {
                        expected = role.equals("sre") ? (write ? 403 : 200) : 404;
                    } else {
                        expected = switch (role) {
                            case "tenant-owner" -> 200;
                            case "tenant-reader", "sre" -> write ? 403 : 200;
                            default -> op == Op.USAGES ? 200 : 403;
                        };
                    }
                    rows.add(Arguments.of(role, own, op, expected));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} of tenant-b on {1} own subscription: {2} -> {3}")
    @MethodSource("matrix")
    void matrix(String role, boolean own, Op op, int expected) {
        // tenant-b's caller; its own subscription is sub-b, the other tenant's sub-a
        if (op == Op.PATCH || op == Op.DELETE || op == Op.GET) {
            call(Tokens.bearer("tenant-a", "tenant-owner"), "sub-a", Op.PUT);
            call(Tokens.bearer("tenant-b", "tenant-owner"), "sub-b", Op.PUT);
        }
        assertThat(call(Tokens.bearer("tenant-b", role), own ? "sub-b" : "sub-a", op)).isEqualTo(expected);
    }

    @Test
    void crossTenantAnswersExactlyLikeAMissingSubscription() {
        var cross = given().header("Authorization", Tokens.bearer("tenant-b", "tenant-owner"))
                .get(path("sub-a", Op.GET) + V);
        var missing = given().header("Authorization", Tokens.bearer("tenant-b", "tenant-owner"))
                .get(path("no-such-sub", Op.GET) + V);
        assertThat(cross.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(cross.jsonPath().getString("error.code")).isEqualTo(missing.jsonPath().getString("error.code"));
        assertThat(cross.asString().replace("sub-a", "X")).isEqualTo(missing.asString().replace("no-such-sub", "X"));
    }

    @Test
    void noTokenABadTokenAndAForeignIssuerAre401CloudErrors() {
        given().get(path("sub-a", Op.GET) + V).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .body("error.code", org.hamcrest.Matchers.equalTo("AuthenticationFailed"));
        String good = Tokens.token("tenant-a", "tenant-owner");
        String[] parts = good.split("\\.");
        String tamperedClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("tenant-a", "tenant-b")
                        .getBytes());
        for (String bad : List.of("garbage", parts[0] + "." + tamperedClaims + "." + parts[2],
                // alg none
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                        + parts[1] + ".")) {
            given().header("Authorization", "Bearer " + bad).get(path("sub-a", Op.GET) + V).then().statusCode(401)
                    .body("error.code", org.hamcrest.Matchers.equalTo("InvalidAuthenticationToken"));
        }
    }

    @Test
    void nodeViewsAreForSreOnly() {
        String nodes = "/providers/Parma.Operations/nodes" + V;
        given().header("Authorization", Tokens.bearer("ops", "sre")).get(nodes).then().statusCode(200)
                .body("value[0].id", org.hamcrest.Matchers.equalTo("node-1"));
        for (String role : List.of("tenant-owner", "tenant-reader", "billing-reader")) {
            given().header("Authorization", Tokens.bearer("tenant-a", role)).get(nodes).then().statusCode(403)
                    .body("error.code", org.hamcrest.Matchers.equalTo("AuthorizationFailed"));
        }
        given().get(nodes).then().statusCode(401);
    }

    @Test
    void healthNeedsNoToken() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
