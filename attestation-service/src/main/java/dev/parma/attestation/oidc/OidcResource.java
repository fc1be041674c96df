package dev.parma.attestation.oidc;

import dev.parma.attestation.config.AttestationConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OIDC discovery and JWKS, in MAA's shapes, so relying parties verify our tokens with stock libraries. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class OidcResource {

    private final AttestationConfig config;
    private final SigningKeys keys;

    OidcResource(AttestationConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    @GET
    @Path(".well-known/openid-configuration")
    public Map<String, Object> openidConfiguration() {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("issuer", config.issuer());
        doc.put("jwks_uri", config.issuer() + "/certs");
        doc.put("response_types_supported", List.of("token", "none"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("claims_supported", List.of("x-ms-attestation-type", "x-ms-compliance-status",
                "x-ms-sevsnpvm-hostdata", "x-ms-sevsnpvm-launchmeasurement", "x-ms-sevsnpvm-is-debuggable",
                "x-ms-runtime", "x-ms-inittime", "x-ms-policy-hash", "nonce"));
        return doc;
    }

    @GET
    @Path("certs")
    public Map<String, Object> certs() {
        return keys.jwks();
    }
}
