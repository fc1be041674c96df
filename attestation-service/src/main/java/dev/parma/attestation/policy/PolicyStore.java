package dev.parma.attestation.policy;

import dev.parma.attestation.api.AttestationErrors;
import dev.parma.attestation.api.AttestationException;
import dev.parma.attestation.policy.PolicyParser.PolicyException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Attestation policies per tenant ('' is the provider instance) and attestation type, versioned: every PUT adds a
 * version, the newest is in force. Parsed policies are cached; the cache is refreshed on every write.
 */
@ApplicationScoped
@Startup
public class PolicyStore {
    /** The provider instance's tenant key. */
    public static final String PROVIDER = "";
    public static final String SEV_SNP_VM = "SevSnpVm";

    /** The built-in policy: permit guests that are not debuggable. */
    public static final String DEFAULT_TEXT = """
            version= 1.0;
            authorizationrules {
                [type=="x-ms-sevsnpvm-is-debuggable", value==false] => permit();
            };
            """;

    /** A stored policy version. */
    public record StoredPolicy(String tenant, String attestationType, int version, AttestationPolicy policy,
            String hash, Instant createdAt) {
    }

    private static final AttestationPolicy DEFAULT;
    static {
        try {
            DEFAULT = PolicyParser.parse(DEFAULT_TEXT);
        } catch (PolicyException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DataSource db;
    private final Clock clock;
    private final Map<String, StoredPolicy> current = new ConcurrentHashMap<>();

    PolicyStore(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
        current(PROVIDER, SEV_SNP_VM); // the provider instance's policy is always in memory
    }

    /** Whether {@link #current} answers from memory (no database read). */
    public boolean isCached(String tenant, String type) {
        return current.containsKey(tenant + "/" + type);
    }

    /** The policy in force: the newest stored version, else the built-in default (version 0). */
    public StoredPolicy current(String tenant, String type) {
        return current.computeIfAbsent(tenant + "/" + type, k -> latest(tenant, type).orElseGet(
                () -> new StoredPolicy(tenant, type, 0, DEFAULT, PolicyHash.of(DEFAULT_TEXT), Instant.EPOCH)));
    }

    /** Parses the text (400 InvalidAttestationPolicy naming line and column) without storing it. */
    public static AttestationPolicy parse(String text) {
        try {
            return PolicyParser.parse(text);
        } catch (PolicyException e) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_POLICY, "The policy does not parse: " + e
                    .getMessage(), "policy");
        }
    }

    /** Stores a new version and puts it in force. */
    public StoredPolicy put(String tenant, String type, String text) {
        AttestationPolicy policy = parse(text);
        Instant now = clock.instant();
        try (Connection c = db.getConnection();
                var insert = c.prepareStatement("INSERT INTO attestation_policies (tenant, attestation_type, version,"
                        + " policy_text, policy_hash, created_at) SELECT ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?"
                        + " FROM attestation_policies WHERE tenant = ? AND attestation_type = ? RETURNING version")) {
            insert.setString(1, tenant);
            insert.setString(2, type);
            insert.setString(3, text);
            insert.setString(4, PolicyHash.of(text));
            insert.setTimestamp(5, Timestamp.from(now));
            insert.setString(6, tenant);
            insert.setString(7, type);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                var stored = new StoredPolicy(tenant, type, rs.getInt(1), policy, PolicyHash.of(text), now);
                current.put(tenant + "/" + type, stored);
                return stored;
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new AttestationException(409, "Conflict", "Another policy version was stored concurrently;"
                        + " retry.", "policy");
            }
            throw new IllegalStateException("cannot store the policy", e);
        }
    }

    /** Every stored version, oldest first. */
    public List<StoredPolicy> versions(String tenant, String type) {
        return query("WHERE tenant = ? AND attestation_type = ? ORDER BY version", tenant, type);
    }

    private Optional<StoredPolicy> latest(String tenant, String type) {
        return query("WHERE tenant = ? AND attestation_type = ? ORDER BY version DESC LIMIT 1", tenant, type).stream()
                .findFirst();
    }

    private List<StoredPolicy> query(String where, String tenant, String type) {
        List<StoredPolicy> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                var q = c.prepareStatement("SELECT version, policy_text, policy_hash, created_at"
                        + " FROM attestation_policies " + where)) {
            q.setString(1, tenant);
            q.setString(2, type);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String text = rs.getString("policy_text");
                    out.add(new StoredPolicy(tenant, type, rs.getInt("version"), PolicyParser.parseStored(text), rs
                            .getString("policy_hash"), rs.getTimestamp("created_at").toInstant()));
                }
            }
        } catch (SQLException | PolicyException e) {
            throw new IllegalStateException("cannot read policies", e);
        }
        return out;
    }
}
