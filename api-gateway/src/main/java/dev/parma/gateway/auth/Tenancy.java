package dev.parma.gateway.auth;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which tenant owns which subscription: {@code parma.tenancy.subscriptions=<sub>:<tenant>,...}. With
 * {@code parma.tenancy.auto-register=true} (the local run and tests only) a subscription nobody owns yet is
 * given to the tenant whose owner first writes into it, the way creating a subscription would; such bindings
 * live in memory.
 */
@ApplicationScoped
public class Tenancy {

    @ConfigProperty(name = "parma.tenancy.subscriptions")
    Optional<List<String>> configured;

    @ConfigProperty(name = "parma.tenancy.auto-register", defaultValue = "false")
    boolean autoRegister;

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
        return Optional.ofNullable(owners.get(key(subscription)));
    }

    /** Binds an unowned subscription to {@code tenant} if auto-registration is on; returns the owner. */
    Optional<String> claim(String subscription, String tenant) {
        if (!autoRegister) {
            return tenantOf(subscription);
        }
        return Optional.of(owners.computeIfAbsent(key(subscription), s -> tenant));
    }

    private static String key(String subscription) {
        return subscription.trim().toLowerCase(Locale.ROOT);
    }
}
