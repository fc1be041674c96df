package dev.parma.attestation.token;

import dev.parma.attestation.policy.PolicyStore;
import java.util.Optional;

/**
 * An attestation instance, named as MAA names its instances: by the URL that issues its tokens. The provider's instance
 * evaluates the provider's policy; each tenant's instance evaluates that tenant's own policy. A token's {@code iss} is
 * the instance whose policy admitted the evidence, and a key's release policy names the instances it trusts
 * ({@code authority}, as in Azure Key Vault), so a token minted under one tenant's policy never passes for another's or
 * for the provider's.
 *
 * @param tenant the tenant whose policy the instance evaluates; empty for the provider's instance
 * @param issuer the instance URL: {@code iss} of its tokens, base of its OIDC metadata and JWKS
 */
public record Authority(Optional<String> tenant, String issuer) {

    /** The key of this instance's policies in {@link PolicyStore}. */
    public String policyTenant() {
        return tenant.orElse(PolicyStore.PROVIDER);
    }
}
