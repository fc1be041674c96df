package dev.parma.gateway.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.gateway.TestDatabases;
import dev.parma.gateway.arm.ArmError;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deployment records in the real database: what one gateway wrote, another (or the same after a restart, with
 * nothing in memory) reads back whole; a run whose gateway stopped renewing its lease ends Failed and can no longer
 * touch its record.
 */
class DeploymentStoreTest {

    static final String DATABASE = "parma_gateway_store_test";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TEMPLATE = """
            {
              "parameters": {
                "name": {"type": "string", "defaultValue": "web"},
                "password": {"type": "securestring", "defaultValue": "hunter2"}
              },
              "resources": [
                {"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2023-05-01",
                 "name": "[parameters('name')]", "location": "westeurope", "properties": {}},
                {"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2023-05-01",
                 "name": "second", "location": "westeurope", "properties": {},
                 "dependsOn": ["[resourceId('Microsoft.ContainerInstance/containerGroups', parameters('name'))]"]}
              ],
              "outputs": {
                "who": {"type": "string", "value": "[parameters('name')]"},
                "secret": {"type": "securestring", "value": "[parameters('password')]"}
              }
            }""";

    DataSource db;

    @BeforeEach
    void freshDatabase() {
        db = TestDatabases.migrated(DATABASE);
    }

    /** A store as a newly started gateway has one: its own connections, nothing in memory. */
    static DeploymentStore restartedGateway() {
        return new DeploymentStore(TestDatabases.connect(DATABASE));
    }

    static TemplateEngine engine(String deployment) throws Exception {
        var ctx = new TemplateEngine.Context("Sub-1", "tenant-1", "RG-1", "westeurope", deployment, "Incremental");
        return new TemplateEngine(JSON.readTree(TEMPLATE), "/t", null, "/p", ctx);
    }

    static DeploymentRecord accepted(String name) throws Exception {
        return DeploymentRecord.accepted("Sub-1", "RG-1", name, "Incremental", engine(name).plan());
    }

    static DeploymentStore.Run run(DeploymentRecord r) {
        return new DeploymentStore.Run("Sub-1", "RG-1", r.name(), r.operationId());
    }

    @Test
    void aFinishedDeploymentReadsBackWholeAfterARestart() throws Exception {
        var store = restartedGateway();
        var r = accepted("Web-Deploy");
        assertThat(store.begin("Sub-1", "RG-1", r)).as("new: 201").isTrue();
        assertThat(store.running(run(r))).isTrue();
        var plan = engine(r.name()).plan();
        for (var resource : plan.resources()) {
            assertThat(store.created(run(r), resource.id())).isTrue();
        }
        var outputs = DeploymentRecord.shown(engine(r.name()).outputs(id -> null).values());
        assertThat(store.finish(run(r), DeploymentRecord.SUCCEEDED, outputs, null)).isTrue();

        var read = restartedGateway().find("sub-1", "rg-1", "web-deploy").orElseThrow();
        assertThat(read.id()).isEqualTo("/subscriptions/Sub-1/resourceGroups/RG-1/providers/Microsoft.Resources"
                + "/deployments/Web-Deploy");
        assertThat(read.name()).isEqualTo("Web-Deploy");
        assertThat(read.state()).isEqualTo("Succeeded");
        assertThat(read.operationId()).isEqualTo(r.operationId());
        assertThat(read.correlationId()).isEqualTo(r.correlationId());
        assertThat(read.started()).isEqualTo(r.started());
        assertThat(read.ended()).isAfterOrEqualTo(read.started());
        assertThat(read.outputResources()).containsExactly(plan.resources().get(0).id(),
                plan.resources().get(1).id());
        assertThat(read.error()).isNull();

        var shown = read.render();
        assertThat(shown.at("/properties/outputs/who/value").asText()).isEqualTo("web");
        assertThat(shown.at("/properties/outputs/secret/type").asText()).isEqualTo("SecureString");
        assertThat(shown.toString()).as("secure values are never stored").doesNotContain("hunter2");
        assertThat(shown.at("/properties/parameters/name/value").asText()).isEqualTo("web");
        assertThat(shown.at("/properties/dependencies/0/resourceName").asText()).isEqualTo("second");
        assertThat(shown.at("/properties/outputResources/1/id").asText()).endsWith("/containerGroups/second");
        assertThat(restartedGateway().list("SUB-1", "rg-1")).extracting(DeploymentRecord::name)
                .containsExactly("Web-Deploy");
        try (var c = db.getConnection();
                var rs = c.createStatement().executeQuery("SELECT parameters::text || outputs::text"
                        + " FROM template_deployments")) {
            rs.next();
            assertThat(rs.getString(1)).doesNotContain("hunter2");
        }
    }

    @Test
    void aDeploymentInProgressCannotBeReplacedAFinishedOneCan() throws Exception {
        var store = restartedGateway();
        var first = accepted("d");
        store.begin("Sub-1", "RG-1", first);
        assertThatThrownBy(() -> restartedGateway().begin("sub-1", "rg-1", accepted("D")))
                .isInstanceOfSatisfying(ArmError.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("DeploymentActive");
                });
        store.finish(run(first), DeploymentRecord.FAILED, null, TemplateDeployments.interrupted());

        var second = accepted("d");
        assertThat(restartedGateway().begin("Sub-1", "RG-1", second)).as("a re-deployment: 200").isFalse();
        var read = store.find("Sub-1", "RG-1", "d").orElseThrow();
        assertThat(read.operationId()).isEqualTo(second.operationId());
        assertThat(read.state()).isEqualTo("Accepted");
        assertThat(read.error()).isNull();
        assertThat(read.ended()).isNull();
        assertThat(store.finish(run(first), DeploymentRecord.SUCCEEDED, null, null))
                .as("the first run no longer owns the record").isFalse();
    }

    @Test
    void aRunWhoseLeaseRanOutEndsFailedInterruptedAndCannotTouchItsRecordAgain() throws Exception {
        var store = restartedGateway();
        var live = accepted("live");
        var dead = accepted("dead");
        for (var r : List.of(live, dead)) {
            store.begin("Sub-1", "RG-1", r);
            store.running(run(r));
        }
        store.created(run(dead), "/subscriptions/Sub-1/resourceGroups/RG-1/providers/"
                + "Microsoft.ContainerInstance/containerGroups/web");
        backdateHeartbeats(Duration.ofMinutes(5));
        store.renew(Set.of(live.operationId())); // the live run's gateway is still there

        var ended = restartedGateway().interruptExpired(Duration.ofMinutes(1), TemplateDeployments.interrupted());
        assertThat(ended).containsExactly(dead.id());

        var read = store.find("Sub-1", "RG-1", "dead").orElseThrow();
        assertThat(read.state()).isEqualTo("Failed");
        assertThat(read.ended()).isNotNull();
        assertThat(read.error().path("code").asText()).isEqualTo("DeploymentInterrupted");
        assertThat(read.outputResources()).containsExactly("/subscriptions/Sub-1/resourceGroups/RG-1/providers/"
                + "Microsoft.ContainerInstance/containerGroups/web");
        assertThat(read.operationStatus().path("status").asText()).isEqualTo("Failed");
        assertThat(store.find("Sub-1", "RG-1", "live").orElseThrow().state()).isEqualTo("Running");

        // the interrupted run, should it still be alive somewhere, changes nothing any more
        assertThat(store.created(run(dead), "/x")).isFalse();
        assertThat(store.finish(run(dead), DeploymentRecord.SUCCEEDED, null, null)).isFalse();
        store.renew(Set.of(dead.operationId()));
        assertThat(store.find("Sub-1", "RG-1", "dead").orElseThrow().state()).isEqualTo("Failed");
    }

    void backdateHeartbeats(Duration by) throws SQLException {
        try (var c = db.getConnection();
                var s = c.prepareStatement("UPDATE template_deployments SET heartbeat_at = heartbeat_at -"
                        + " CAST(? AS interval)")) {
            s.setString(1, by.toSeconds() + " seconds");
            s.executeUpdate();
        }
    }
}
