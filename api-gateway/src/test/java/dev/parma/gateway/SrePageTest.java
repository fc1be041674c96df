package dev.parma.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SRE page: a static page that needs no token (it holds no data) and one SRE-only endpoint made of the
 * deployment service's overview and the attestation service's recent failures.
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class SrePageTest {

    static final String OVERVIEW = "/providers/Parma.Operations/overview?api-version=2025-09-01";

    @AfterEach
    void attestationUp() {
        FakeBackend.attestationDown = false;
    }

    @Test
    void thePageIsStaticWithAStrictContentSecurityPolicy() {
        given().get("/sre/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("/sre/sre.js"));
        given().get("/sre/sre.js").then().statusCode(200).body(containsString(OVERVIEW.substring(0, 40)));
        given().redirects().follow(false).get("/sre").then().statusCode(301)
                .header("Location", org.hamcrest.Matchers.endsWith("/sre/"));
    }

    @Test
    void sreGetsOneOverviewFromBothServices() {
        String sre = Tokens.bearer("ops", "sre");
        given().header("Authorization", sre).get(OVERVIEW + "&top=7").then().statusCode(200)
                .body("nodes[0].id", equalTo("node-1"))
                .body("groups[0].count", equalTo(2))
                .body("query", equalTo("denials=7"))
                .body("attestationFailures.available", equalTo(true))
                .body("attestationFailures.value[0].code", equalTo("InvalidSnpReport"));
        assertThat(FakeBackend.lastAttestationAuthorization).as("the SRE's own token").isEqualTo(sre);
    }

    @Test
    void anAttestationServiceDownLeavesTheRestOfTheOverview() {
        FakeBackend.attestationDown = true;
        given().header("Authorization", Tokens.bearer("ops", "sre")).get(OVERVIEW).then().statusCode(200)
                .body("nodes[0].id", equalTo("node-1"))
                .body("attestationFailures.available", equalTo(false))
                .body("attestationFailures.reason", containsString("500"));
    }

    @Test
    void otherRolesAreRefusedAndBadParametersAreCloudErrors() {
        for (String role : List.of("tenant-owner", "tenant-reader", "billing-reader")) {
            given().header("Authorization", Tokens.bearer("tenant-a", role)).get(OVERVIEW).then().statusCode(403)
                    .body("error.code", equalTo("AuthorizationFailed"))
                    .body("error.message", containsString("Parma.Operations/overview/read"));
        }
        given().get(OVERVIEW).then().statusCode(401).body("error.code", equalTo("AuthenticationFailed"));
        String sre = Tokens.bearer("ops", "sre");
        for (String top : List.of("0", "201", "ten")) {
            given().header("Authorization", sre).get(OVERVIEW + "&top=" + top).then().statusCode(400)
                    .body("error.code", equalTo("InvalidQueryParameterValue")).body("error.target", equalTo("top"));
        }
        var wrong = given().header("Authorization", sre)
                .get("/providers/Parma.Operations/overview?api-version=2020-01-01").then().statusCode(400).extract();
        assertThat(wrong.path("error.code").toString()).isEqualTo("InvalidApiVersionParameter");
        assertThat(wrong.path("error.message").toString()).contains("'overview'");
    }
}
