package dev.parma.gateway.templates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.arm.ArmError;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Template deployment records in PostgreSQL ({@code template_deployments}), shared by every gateway instance. A run
 * changes its row only while the row is still that run's and in progress: every update names the run's operation
 * id and requires Accepted or Running, so a run that was declared interrupted (or replaced by a re-deployment)
 * can no longer touch it.
 */
@ApplicationScoped
class DeploymentStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, mode, operation_id, correlation_id, state, started_at, ended_at,"
            + " parameters, dependencies, output_resources, outputs, error";
    private static final String IN_PROGRESS = "state IN ('" + DeploymentRecord.ACCEPTED + "', '"
            + DeploymentRecord.RUNNING + "')";

    /** One run of a deployment: where it is and its operation id. */
    record Run(String subscription, String resourceGroup, String name, String operationId) {
    }

    private final DataSource db;

    DeploymentStore(DataSource db) {
        this.db = db;
    }

    /**
     * Stores a new run of {@code r}, replacing a finished deployment of the same name; true if there was none (ARM
     * answers 201 rather than 200). A deployment of that name still in progress is a 409 DeploymentActive.
     */
    boolean begin(String subscription, String resourceGroup, DeploymentRecord r) {
        // xmax is 0 only on a row version this statement inserted: told apart from an update in one round trip
        String sql = "INSERT INTO template_deployments AS d (subscription, resource_group, name, " + COLUMNS
                + ", heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, CAST(? AS json), CAST(? AS json), ?, NULL,"
                + " NULL, now()) ON CONFLICT (subscription, resource_group, name) DO UPDATE SET id = EXCLUDED.id,"
                + " mode = EXCLUDED.mode, operation_id = EXCLUDED.operation_id, correlation_id ="
                + " EXCLUDED.correlation_id, state = EXCLUDED.state, started_at = EXCLUDED.started_at, ended_at = NULL,"
                + " parameters = EXCLUDED.parameters, dependencies = EXCLUDED.dependencies, output_resources = '{}',"
                + " outputs = NULL, error = NULL, heartbeat_at = now() WHERE NOT d." + IN_PROGRESS
                + " RETURNING xmax = 0";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key(subscription));
            s.setString(2, key(resourceGroup));
            s.setString(3, key(r.name()));
            s.setString(4, r.id());
            s.setString(5, r.mode());
            s.setString(6, r.operationId());
            s.setString(7, r.correlationId());
            s.setString(8, r.state());
            s.setTimestamp(9, Timestamp.from(r.started()));
            s.setString(10, json(r.parameters()));
            s.setString(11, json(r.dependencies()));
            s.setArray(12, c.createArrayOf("text", r.outputResources().toArray()));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new ArmError(409, CloudError.of("DeploymentActive", "The deployment '" + r.name()
                            + "' is still running; wait for it to finish before deploying again under the same name."));
                }
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    Optional<DeploymentRecord> find(String subscription, String resourceGroup, String name) {
        var found = query("SELECT " + COLUMNS + " FROM template_deployments WHERE subscription = ? AND resource_group"
                + " = ? AND name = ?", key(subscription), key(resourceGroup), key(name));
        return found.stream().findFirst();
    }

    /** The deployments of a resource group, oldest first. */
    List<DeploymentRecord> list(String subscription, String resourceGroup) {
        return query("SELECT " + COLUMNS + " FROM template_deployments WHERE subscription = ? AND resource_group = ?"
                + " ORDER BY started_at, name", key(subscription), key(resourceGroup));
    }

    /** Accepted → Running; false if the run no longer owns its record. */
    boolean running(Run run) {
        return update(run, "state = '" + DeploymentRecord.RUNNING + "'");
    }

    /** Adds a container group the run has PUT; false if the run no longer owns its record. */
    boolean created(Run run, String resourceId) {
        return update(run, "output_resources = array_append(output_resources, ?)", resourceId);
    }

    /** Ends the run: its terminal state, outputs (shown form) and error; false if it no longer owns its record. */
    boolean finish(Run run, String state, ObjectNode outputs, JsonNode error) {
        return update(run, "state = ?, ended_at = ?, outputs = CAST(? AS json), error = CAST(? AS json)", state,
                Timestamp.from(Instant.now()), outputs == null ? null : json(outputs),
                error == null ? null : json(error));
    }

    /** Renews the leases of the runs this gateway is executing. */
    void renew(Collection<String> operationIds) {
        if (operationIds.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE template_deployments SET heartbeat_at = now()"
                        + " WHERE operation_id = ANY(?) AND " + IN_PROGRESS)) {
            s.setArray(1, c.createArrayOf("text", operationIds.toArray()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Ends Failed, with {@code error}, every run in progress whose lease was not renewed for {@code lease}: its
     * gateway died or was cut off. Returns the ids of the deployments so ended.
     */
    List<String> interruptExpired(Duration lease, JsonNode error) {
        var ended = new ArrayList<String>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE template_deployments SET state = '"
                        + DeploymentRecord.FAILED + "', ended_at = now(), error = CAST(? AS json) WHERE "
                        + IN_PROGRESS + " AND heartbeat_at < now() - CAST(? AS interval) RETURNING id")) {
            s.setString(1, json(error));
            s.setString(2, lease.toMillis() + " milliseconds");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ended.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return ended;
    }

    private boolean update(Run run, String set, Object... values) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE template_deployments SET " + set
                        + " WHERE subscription = ? AND resource_group = ? AND name = ? AND operation_id = ? AND "
                        + IN_PROGRESS)) {
            int i = 1;
            for (Object v : values) {
                if (v == null) {
                    s.setNull(i++, Types.VARCHAR);
                } else {
                    s.setObject(i++, v);
                }
            }
            s.setString(i++, key(run.subscription()));
            s.setString(i++, key(run.resourceGroup()));
            s.setString(i++, key(run.name()));
            s.setString(i, run.operationId());
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private List<DeploymentRecord> query(String sql, String... args) {
        var out = new ArrayList<DeploymentRecord>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return out;
    }

    private static DeploymentRecord read(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        Timestamp ended = rs.getTimestamp("ended_at");
        String outputs = rs.getString("outputs");
        String error = rs.getString("error");
        return new DeploymentRecord(id, id.substring(id.lastIndexOf('/') + 1), rs.getString("mode"),
                rs.getString("operation_id"), rs.getString("correlation_id"), rs.getString("state"),
                rs.getTimestamp("started_at").toInstant(), ended == null ? null : ended.toInstant(),
                (ObjectNode) tree(rs.getString("parameters")), (ArrayNode) tree(rs.getString("dependencies")),
                List.of((String[]) rs.getArray("output_resources").getArray()),
                outputs == null ? null : (ObjectNode) tree(outputs), error == null ? null : tree(error));
    }

    private static JsonNode tree(String json) throws SQLException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON in template_deployments", e);
        }
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String part) {
        return part.toLowerCase(Locale.ROOT);
    }

    private static ArmError unavailable(SQLException e) {
        return ArmError.stateUnavailable("template deployments", e);
    }
}
