package dev.parma.gateway.auth;

import jakarta.annotation.PostConstruct;
import dev.parma.gateway.arm.ArmError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which tenant owns which subscription: {@code parma.tenancy.subscriptions=<sub>:<tenant>,...}. With
 * {@code parma.tenancy.auto-register=true} (the local run and tests only) a subscription nobody owns yet is
 * given to the tenant whose owner first writes into it, the way creating a subscription would; such bindings are
 * stored in PostgreSQL ({@code subscription_owners}), so they outlive a restart and every gateway instance agrees
 * on them. A binding never changes once made, so each instance keeps the ones it has seen in memory.
 */
@ApplicationScoped
public class Tenancy {

    @ConfigProperty(name = "parma.tenancy.subscriptions")
    Optional<List<String>> configured;

    @ConfigProperty(name = "parma.tenancy.auto-register", defaultValue = "false")
    boolean autoRegister;

    @Inject
    DataSource db;

    private final Map<String, String> owners = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        configured.ifPresent(list -> list.forEach(entry -> {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("parma.tenancy.subscriptions: '" + entry
                        + "' is not <subscription>:<tenant>");
            }
            owners.put(key(entry.substring(0, colon)), entry.substring(colon + 1).trim());
        }));
    }

    public Optional<String> tenantOf(String subscription) {
        String key = key(subscription);
        String owner = owners.get(key);
        if (owner != null || !autoRegister) {
            return Optional.ofNullable(owner);
        }
        return registered("SELECT tenant FROM subscription_owners WHERE subscription = ?", key);
    }

    /** Binds an unowned subscription to {@code tenant} if auto-registration is on; returns the owner. */
    Optional<String> claim(String subscription, String tenant) {
        if (!autoRegister) {
            return tenantOf(subscription);
        }
        String key = key(subscription);
        String owner = owners.get(key);
        if (owner != null) {
            return Optional.of(owner);
        }
        // the no-op update makes RETURNING give the owner whoever won, this claim or an earlier one
        return registered("INSERT INTO subscription_owners (subscription, tenant) VALUES (?, ?) ON CONFLICT"
                + " (subscription) DO UPDATE SET tenant = subscription_owners.tenant RETURNING tenant", key, tenant);
    }

    private Optional<String> registered(String sql, String key, String... more) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            for (int i = 0; i < more.length; i++) {
                s.setString(i + 2, more[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String owner = rs.getString(1);
                owners.put(key, owner);
                return Optional.of(owner);
            }
        } catch (SQLException e) {
            throw ArmError.stateUnavailable("subscription owners", e);
        }
    }

    private static String key(String subscription) {
        return subscription.trim().toLowerCase(Locale.ROOT);
    }
}
