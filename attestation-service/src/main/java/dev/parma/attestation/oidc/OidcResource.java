package dev.parma.attestation.oidc;

import dev.parma.attestation.api.Tenants;
import dev.parma.attestation.token.Authorities;
import dev.parma.attestation.token.Authority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OIDC discovery and JWKS, in MAA's shapes, for every instance: the provider's at the root, each tenant's under
 * {@code /tenants/{tenant}} (its issuer URL), so relying parties verify any of our tokens with stock libraries by
 * discovery from its {@code iss}. The instances share one key set.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class OidcResource {

    private final Authorities authorities;
    private final SigningKeys keys;

    OidcResource(Authorities authorities, SigningKeys keys) {
        this.authorities = authorities;
        this.keys = keys;
    }

    @GET
    @Path(".well-known/openid-configuration")
    public Map<String, Object> openidConfiguration() {
        return metadata(authorities.provider());
    }

    @GET
    @Path("certs")
    public Map<String, Object> certs() {
        return keys.jwks();
    }

    @GET
    @Path("tenants/{tenant}/.well-known/openid-configuration")
    public Map<String, Object> tenantOpenidConfiguration(@PathParam("tenant") String tenant) {
        return metadata(authorities.tenant(Tenants.check(tenant)));
    }

    @GET
    @Path("tenants/{tenant}/certs")
    public Map<String, Object> tenantCerts(@PathParam("tenant") String tenant) {
        Tenants.check(tenant);
        return keys.jwks();
    }

    private static Map<String, Object> metadata(Authority instance) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("issuer", instance.issuer());
        doc.put("jwks_uri", instance.issuer() + "/certs");
        doc.put("response_types_supported", List.of("token", "none"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("claims_supported", List.of("x-ms-attestation-type", "x-ms-compliance-status",
                "x-ms-sevsnpvm-hostdata", "x-ms-sevsnpvm-launchmeasurement", "x-ms-sevsnpvm-is-debuggable",
                "x-ms-runtime", "x-ms-inittime", "x-ms-policy-hash", "nonce"));
        return doc;
    }
}
