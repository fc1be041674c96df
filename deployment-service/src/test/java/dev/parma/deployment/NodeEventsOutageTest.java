package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parma.contracts.Topics;
import dev.parma.contracts.node.DeleteGroup;
import dev.parma.contracts.node.StartGroup;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.group.NodeEventConsumer;
import dev.parma.deployment.node.NodeEntity;
import dev.parma.deployment.outbox.Outages;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL away while a node reports a group running: the report is not dropped but applied once the database is
 * back, and events behind it wait their turn; a poison event is still skipped.
 */
@QuarkusTest
@TestProfile(Outages.Profile.class)
class NodeEventsOutageTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final String GROUP = "/subscriptions/sub-events-outage/resourceGroups/rg/providers"
            + "/Microsoft.ContainerInstance/containerGroups/";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    NodeEventConsumer events;

    @Test
    void aRunningReportDuringADatabaseOutageIsAppliedWhenTheDatabaseReturns() {
        try (var node = new TestNode(bootstrap, "events-outage-node").memory(200).heartbeat(1000, false)) {
            await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew()
                    .call(() -> NodeEntity.findById(node.id) != null));
            // poison first: unparseable, and a report about a group that does not exist; both are skipped
            node.kafka.send(Topics.NODE_EVENTS, "x", "{not json");
            node.removed(new DeleteGroup(UUID.randomUUID().toString(), "no-such-group", 1));
            String base = GROUP + "app";
            given().contentType(ContentType.JSON).body("""
                    {"location":"westeurope","properties":{"containers":[{"name":"c","properties":{"image":"busybox",
                    "command":["sleep","999"],"resources":{"requests":{"cpu":1,"memoryInGB":100}}}}]}}""")
                    .put(base + "?api-version=2025-09-01").then().statusCode(201);
            var start = node.await(StartGroup.class, null, s -> s.workload().resourceId().equals(base));
            assertThat(phase(start.groupId())).isEqualTo("Creating");

            long retries = events.retries();
            Outages.cutDatabase();
            try {
                node.running(start);
                // the report was read and failed more than once: it is being retried, not dropped
                await().atMost(WAIT).until(() -> events.retries() >= retries + 3);
            } finally {
                Outages.restoreDatabase();
            }
            await().atMost(WAIT).until(() -> "Succeeded".equals(phase(start.groupId())));
        }
    }

    private static String phase(String groupId) {
        var g = QuarkusTransaction.requiringNew()
                .call(() -> ContainerGroupEntity.<ContainerGroupEntity>findById(groupId));
        return g == null ? null : g.phase;
    }
}
