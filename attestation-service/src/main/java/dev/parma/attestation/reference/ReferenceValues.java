package dev.parma.attestation.reference;

import dev.parma.attestation.api.AttestationErrors;
import dev.parma.attestation.api.AttestationException;
import dev.parma.attestation.config.AttestationConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Endorsed UVM launch measurements, each with an SVN (MAA's UVM endorsements carry x-ms-sevsnpvm-guestsvn and
 * x-ms-sevsnpvm-launchmeasurement). A report whose MEASUREMENT is endorsed with an SVN at or above the configured
 * minimum is compliant: the token then says {@code x-ms-compliance-status: azure-compliant-uvm}, MAA's value for
 * ACI, so existing key release policies keep working. The fleet's simulated UVM measurement, when configured, is
 * registered at start-up.
 */
@ApplicationScoped
@Startup
public class ReferenceValues {
    private static final Logger LOG = Logger.getLogger(ReferenceValues.class);
    /** MAA's compliance status for an ACI UVM with a valid endorsement. */
    public static final String COMPLIANT_UVM = "azure-compliant-uvm";

    /** One endorsed measurement. */
    public record Endorsement(String launchMeasurement, int svn, String source, Instant createdAt) {
    }

    private final DataSource db;
    private final Clock clock;
    private final int minimumSvn;
    private final Map<String, Endorsement> byMeasurement = new ConcurrentHashMap<>();

    ReferenceValues(DataSource db, Clock clock, AttestationConfig config) {
        this.db = db;
        this.clock = clock;
        this.minimumSvn = config.reference().minimumSvn();
        load();
        config.reference().fleetUvmMeasurement().ifPresent(m -> {
            register(m, config.reference().fleetUvmSvn(), "fleet");
            LOG.infof("registered the fleet's UVM launch measurement %s (svn %d)", m, config.reference()
                    .fleetUvmSvn());
        });
    }

    /** The compliance status for a MEASUREMENT (lowercase hex), if it is endorsed at or above the minimum SVN. */
    public Optional<String> complianceStatus(String launchMeasurement) {
        Endorsement e = byMeasurement.get(launchMeasurement);
        return e != null && e.svn() >= minimumSvn ? Optional.of(COMPLIANT_UVM) : Optional.empty();
    }

    /** Adds or updates an endorsement; 400 for anything but 96 hex digits or a negative SVN. */
    public Endorsement register(String launchMeasurement, int svn, String source) {
        String m = launchMeasurement == null ? "" : launchMeasurement.toLowerCase(Locale.ROOT);
        if (!m.matches("[0-9a-f]{96}")) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT,
                    "launchMeasurement must be 96 hex digits (SHA-384).", "launchMeasurement");
        }
        if (svn < 0) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT, "svn must be >= 0.",
                    "svn");
        }
        Instant now = clock.instant();
        try (Connection c = db.getConnection();
                var up = c.prepareStatement("INSERT INTO reference_measurements (launch_measurement, svn, source,"
                        + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT (launch_measurement) DO UPDATE"
                        + " SET svn = EXCLUDED.svn, source = EXCLUDED.source")) {
            up.setString(1, m);
            up.setInt(2, svn);
            up.setString(3, source);
            up.setTimestamp(4, Timestamp.from(now));
            up.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the reference value", e);
        }
        var e = new Endorsement(m, svn, source, now);
        byMeasurement.put(m, e);
        return e;
    }

    public Map<String, Endorsement> all() {
        return new TreeMap<>(byMeasurement);
    }

    private void load() {
        try (Connection c = db.getConnection();
                var q = c.prepareStatement("SELECT launch_measurement, svn, source, created_at"
                        + " FROM reference_measurements");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                var e = new Endorsement(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getTimestamp(4)
                        .toInstant());
                byMeasurement.put(e.launchMeasurement(), e);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load reference values", e);
        }
    }
}
