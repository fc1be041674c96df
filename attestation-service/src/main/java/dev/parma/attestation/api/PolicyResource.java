package dev.parma.attestation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.evidence.Base64s;
import dev.parma.attestation.policy.PolicyStore;
import dev.parma.attestation.policy.PolicyStore.StoredPolicy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attestation policies for SevSnpVm, per provider instance ({@code /policies/SevSnpVm}) or tenant
 * ({@code /tenants/{tenant}/policies/SevSnpVm}). PUT takes the policy text, or MAA's upload form: a JWT whose payload is
 * {@code {"AttestationPolicy": base64url(text)}} (its signature is not checked: policy signing certificates are not
 * implemented). Every PUT stores a new version.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class PolicyResource {

    private final PolicyStore store;
    private final ObjectMapper json;

    PolicyResource(PolicyStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @GET
    @Path("policies/SevSnpVm")
    public Map<String, Object> get(@QueryParam("api-version") String apiVersion) {
        ApiVersions.check(apiVersion);
        return view(store.current(PolicyStore.PROVIDER, PolicyStore.SEV_SNP_VM));
    }

    @PUT
    @Path("policies/SevSnpVm")
    public Map<String, Object> put(@QueryParam("api-version") String apiVersion, byte[] body) {
        ApiVersions.check(apiVersion);
        return view(store.put(PolicyStore.PROVIDER, PolicyStore.SEV_SNP_VM, text(body)));
    }

    @GET
    @Path("tenants/{tenant}/policies/SevSnpVm")
    public Map<String, Object> getForTenant(@PathParam("tenant") String tenant,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.check(apiVersion);
        return view(store.current(Tenants.check(tenant), PolicyStore.SEV_SNP_VM));
    }

    @PUT
    @Path("tenants/{tenant}/policies/SevSnpVm")
    public Map<String, Object> putForTenant(@PathParam("tenant") String tenant,
            @QueryParam("api-version") String apiVersion, byte[] body) {
        ApiVersions.check(apiVersion);
        return view(store.put(Tenants.check(tenant), PolicyStore.SEV_SNP_VM, text(body)));
    }

    @GET
    @Path("tenants/{tenant}/policies/SevSnpVm/versions")
    public Map<String, Object> versions(@PathParam("tenant") String tenant,
            @QueryParam("api-version") String apiVersion) {
        ApiVersions.check(apiVersion);
        List<Map<String, Object>> all = store.versions(Tenants.check(tenant), PolicyStore.SEV_SNP_VM).stream().map(
                PolicyResource::view).toList();
        return Map.of("value", all);
    }

    private String text(byte[] body) {
        if (body == null || body.length == 0) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_POLICY, "The policy is empty.", "policy");
        }
        String raw = new String(body, StandardCharsets.UTF_8);
        String s = raw.trim();
        String[] parts = s.split("\\.", -1);
        if (parts.length == 3 && !s.contains(" ") && !s.contains("\n")) {
            try {
                JsonNode payload = json.readTree(Base64s.decode(parts[1]).orElseThrow());
                JsonNode policy = payload.get("AttestationPolicy");
                if (policy != null && policy.isTextual()) {
                    return new String(Base64s.decode(policy.asText()).orElseThrow(), StandardCharsets.UTF_8);
                }
            } catch (java.io.IOException | RuntimeException e) {
                // fall through: answered below
            }
            throw AttestationException.badRequest(AttestationErrors.INVALID_POLICY,
                    "The body looks like a JWT but its payload has no base64url AttestationPolicy.", "policy");
        }
        return raw; // exactly as sent: x-ms-policy-hash is over these bytes
    }

    static Map<String, Object> view(StoredPolicy p) {
        var m = new LinkedHashMap<String, Object>();
        m.put("tenant", p.tenant().isEmpty() ? null : p.tenant());
        m.put("attestationType", p.attestationType());
        m.put("version", p.version());
        m.put("x-ms-policy-hash", p.hash());
        m.put("policy", p.policy().text());
        return m;
    }
}
