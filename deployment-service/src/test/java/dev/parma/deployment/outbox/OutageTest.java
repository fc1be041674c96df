package dev.parma.deployment.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Kafka or PostgreSQL away: the outbox relay pauses between attempts instead of looping or queueing work, creates
 * answer 503 with Retry-After while the database is away, and everything resumes when they return. Progress is
 * judged by counting attempts, never by timing them.
 */
@QuarkusTest
@TestProfile(Outages.Profile.class)
class OutageTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String GROUPS = "/subscriptions/sub-outage/resourceGroups/rg/providers"
            + "/Microsoft.ContainerInstance/containerGroups/";
    static final String BODY = """
            {"location":"westeurope","properties":{"containers":[{"name":"app","properties":{
              "image":"busybox","command":["true"],"resources":{"requests":{"cpu":0.5,"memoryInGB":0.5}}}}]}}""";

    @Inject
    OutboxRelay relay;

    @Test
    void whileTheBrokerIsAwayTheRelayPausesAndItResumesWhenTheBrokerReturns() {
        Outages.stopBroker();
        try {
            create("while-kafka-away").then().statusCode(201);
            await().atMost(WAIT).until(() -> relay.failures() >= 3);

            // a burst of commits and sweeps during the pause neither queues work nor brings the next attempt forward
            long attempts = relay.attempts();
            for (int i = 0; i < 1000; i++) {
                relay.wake();
            }
            create("during-the-pause").then().statusCode(201);
            assertThat(relay.queuedDrains()).isLessThanOrEqualTo(1);
            assertThat(relay.attempts() - attempts).isLessThanOrEqualTo(2);
            assertThat(unsent()).isGreaterThanOrEqualTo(2);
        } finally {
            Outages.startBroker();
        }
        await().atMost(WAIT).until(() -> unsent() == 0);
        assertThat(relay.failures()).isZero();
    }

    @Test
    void whileTheDatabaseIsAwayRequestsAre503WithRetryAfterAndTheServiceResumesWhenItReturns() {
        Outages.database.cut();
        try {
            create("while-db-away").then().statusCode(503).contentType(ContentType.JSON)
                    .header("Retry-After", "5")
                    .body("error.code", equalTo("ServiceUnavailable"));
            given().get(GROUPS + "while-db-away?api-version=2025-09-01").then().statusCode(503)
                    .header("Retry-After", "5").body("error.code", equalTo("ServiceUnavailable"));

            await().atMost(WAIT).until(() -> relay.failures() >= 3);
            long attempts = relay.attempts();
            for (int i = 0; i < 1000; i++) {
                relay.wake();
            }
            assertThat(relay.queuedDrains()).isLessThanOrEqualTo(1);
            assertThat(relay.attempts() - attempts).isLessThanOrEqualTo(2);
        } finally {
            Outages.database.restore();
        }
        await().atMost(WAIT).until(() -> create("after-db-returned").statusCode() == 201);
        await().atMost(WAIT).until(() -> relay.failures() == 0 && unsent() == 0);
    }

    private static io.restassured.response.Response create(String name) {
        return given().contentType(ContentType.JSON).body(BODY).put(GROUPS + name + "?api-version=2025-09-01");
    }

    private static long unsent() {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("sentAt is null"));
    }
}
