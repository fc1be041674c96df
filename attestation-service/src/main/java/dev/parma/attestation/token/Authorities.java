package dev.parma.attestation.token;

import dev.parma.attestation.api.Tenants;
import dev.parma.attestation.config.AttestationConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The instances this service runs and their issuer URLs: the provider's at {@code parma.attestation.issuer}, each
 * tenant's at {@code {issuer}/tenants/{tenant}} (MAA gives every instance its own URL in the same way). URLs compare
 * exactly, except that one trailing slash is ignored.
 */
@ApplicationScoped
public class Authorities {
    private static final String TENANTS = "/tenants/";

    private final String base;
    private final Authority provider;

    Authorities(AttestationConfig config) {
        this.base = trim(config.issuer());
        this.provider = new Authority(Optional.empty(), base);
    }

    public Authority provider() {
        return provider;
    }

    /** The instance of a tenant whose name has been checked ({@link Tenants#check}). */
    public Authority tenant(String tenant) {
        return new Authority(Optional.of(tenant), base + TENANTS + tenant);
    }

    /** The instance that issues under {@code issuer}, if it is one of ours. */
    public Optional<Authority> ofIssuer(String issuer) {
        if (issuer == null) {
            return Optional.empty();
        }
        String url = trim(issuer);
        if (url.equals(base)) {
            return Optional.of(provider);
        }
        if (url.startsWith(base + TENANTS)) {
            String tenant = url.substring(base.length() + TENANTS.length());
            if (Tenants.isValid(tenant)) {
                return Optional.of(tenant(tenant));
            }
        }
        return Optional.empty();
    }

    /** Whether two instance URLs name the same instance. */
    public static boolean same(String a, String b) {
        return a != null && b != null && trim(a).equals(trim(b));
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
