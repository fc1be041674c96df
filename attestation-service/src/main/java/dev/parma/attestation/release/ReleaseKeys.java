package dev.parma.attestation.release;

import dev.parma.identity.MasterKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tenants' keys for secure key release: symmetric (oct-HSM, 256-bit) keys generated here, sealed under the master key
 * at rest, each version with its release policy (JSON text). Creating a key that exists adds a version.
 */
@ApplicationScoped
public class ReleaseKeys {

    /** A key version; {@code material} is the plaintext key, only in memory. */
    public record ReleaseKey(String tenant, String name, int version, String kty, byte[] material,
            String releasePolicy, Instant createdAt) {
    }

    private final DataSource db;
    private final MasterKey master;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ReleaseKeys(DataSource db, MasterKey master, Clock clock) {
        this.db = db;
        this.master = master;
        this.clock = clock;
    }

    public ReleaseKey create(String tenant, String name, String releasePolicyJson) {
        byte[] material = new byte[32];
        random.nextBytes(material);
        Instant now = clock.instant();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            int version;
            try (var lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
                    var next = c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM release_keys"
                            + " WHERE tenant = ? AND name = ?");
                    var insert = c.prepareStatement("INSERT INTO release_keys (tenant, name, version, kty,"
                            + " key_material, release_policy, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                lock.setString(1, tenant + "/" + name);
                lock.execute();
                next.setString(1, tenant);
                next.setString(2, name);
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
                insert.setString(1, tenant);
                insert.setString(2, name);
                insert.setInt(3, version);
                insert.setString(4, "oct-HSM");
                insert.setBytes(5, master.seal(material, context(tenant, name, version)));
                insert.setString(6, releasePolicyJson);
                insert.setTimestamp(7, Timestamp.from(now));
                insert.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            return new ReleaseKey(tenant, name, version, "oct-HSM", material, releasePolicyJson, now);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the key", e);
        }
    }

    /** The newest version, decrypted. */
    public Optional<ReleaseKey> latest(String tenant, String name) {
        try (Connection c = db.getConnection();
                var q = c.prepareStatement("SELECT version, kty, key_material, release_policy, created_at"
                        + " FROM release_keys WHERE tenant = ? AND name = ? ORDER BY version DESC LIMIT 1")) {
            q.setString(1, tenant);
            q.setString(2, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int version = rs.getInt("version");
                return Optional.of(new ReleaseKey(tenant, name, version, rs.getString("kty"), master.open(rs.getBytes(
                        "key_material"), context(tenant, name, version)), rs.getString("release_policy"), rs
                                .getTimestamp("created_at").toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the key", e);
        }
    }

    private static String context(String tenant, String name, int version) {
        return "release-key:" + tenant + "/" + name + "/" + version;
    }
}
