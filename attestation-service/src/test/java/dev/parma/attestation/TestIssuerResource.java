package dev.parma.attestation;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Creates {@link TestIssuer}'s key and JWKS file before the service starts; the %test profile points the service at
 * them (issuer and JWKS location), as production points it at its OIDC issuer.
 */
public class TestIssuerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestIssuer.key();
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
