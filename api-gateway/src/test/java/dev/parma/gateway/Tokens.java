package dev.parma.gateway;

import dev.parma.gateway.auth.DevIssuer;
import java.nio.file.Path;
import java.util.List;

/** Tokens from the test profile's development issuer (target/dev-issuer). */
public final class Tokens {

    private Tokens() {
    }

    public static String token(String tenant, String... roles) {
        try {
            return DevIssuer.open(Path.of("target/dev-issuer")).mint(tenant, tenant + "-user", List.of(roles), 600);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String tenant, String... roles) {
        return "Bearer " + token(tenant, roles);
    }

    /** tenant-a's owner, who owns subscription s1 in the test configuration. */
    public static String owner() {
        return bearer("tenant-a", "tenant-owner");
    }
}
