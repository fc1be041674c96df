package dev.parma.attestation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.config.AttestationConfig;
import dev.parma.attestation.crypto.KeyWrap;
import dev.parma.attestation.evidence.Base64s;
import dev.parma.attestation.release.ReleaseKeys;
import dev.parma.attestation.release.ReleaseKeys.ReleaseKey;
import dev.parma.attestation.release.ReleasePolicy;
import dev.parma.attestation.release.WrappingKeys;
import dev.parma.attestation.Metrics;
import dev.parma.attestation.token.Authorities;
import dev.parma.attestation.token.TokenIssuer;
import dev.parma.attestation.token.TokenVerifier;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secure key release in Azure Key Vault's shapes. {@code PUT /tenants/{tenant}/keys/{name}} creates an exportable
 * 256-bit oct-HSM key with a release policy whose every condition names its authority: the provider's instance or the
 * tenant's own (never another tenant's, never one we do not run); {@code POST .../release} with
 * {@code {"target": "<our token>"}} answers
 * {@code {"value": "<JWS>"}} whose payload carries the key wrapped to the token's x-ms-runtime.keys RSA key
 * (RSA-OAEP-256 + RFC 5649, AKV's RSA_AES_KEY_WRAP_256, inside key_hsm as the ACI sidecar reads it).
 */
@Path("/tenants/{tenant}/keys/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class KeyResource {
    private static final String POLICY_CONTENT_TYPE = "application/json; charset=utf-8";

    private final ReleaseKeys keys;
    private final TokenVerifier tokens;
    private final TokenIssuer issuer;
    private final Authorities authorities;
    private final AttestationConfig config;
    private final ObjectMapper json;
    private final Metrics metrics;

    KeyResource(ReleaseKeys keys, TokenVerifier tokens, TokenIssuer issuer, Authorities authorities,
            AttestationConfig config, ObjectMapper json, Metrics metrics) {
        this.keys = keys;
        this.tokens = tokens;
        this.issuer = issuer;
        this.authorities = authorities;
        this.config = config;
        this.json = json;
        this.metrics = metrics;
    }

    @PUT
    public Map<String, Object> create(@PathParam("tenant") String tenant, @PathParam("name") String name,
            byte[] body) {
        Tenants.check(tenant);
        checkName(name);
        JsonNode root = readObject(body);
        JsonNode policy = root.get("release_policy");
        if (policy != null && policy.isObject() && policy.get("data") != null && policy.get("data").isTextual()) {
            // AKV's stored form: {"contentType", "data": base64url(policy JSON)}
            policy = readObject(Base64s.decode(policy.get("data").asText()).orElseThrow(() -> invalidPolicy(
                    "release_policy.data is not base64url")));
        }
        if (policy == null) {
            throw AttestationException.badRequest(AttestationErrors.MISSING_REQUIRED_PROPERTY,
                    "release_policy is required.", "release_policy");
        }
        // every condition under an authority, and only instances this tenant may trust: the provider's or its own
        String provider = authorities.provider().issuer();
        String own = authorities.tenant(tenant).issuer();
        try {
            ReleasePolicy.parse(policy).requireAuthorities(a -> Authorities.same(a, provider) || Authorities.same(a,
                    own), provider + " or " + own);
        } catch (IllegalArgumentException e) {
            throw invalidPolicy(e.getMessage());
        }
        return view(keys.create(tenant, name, policy.toString()));
    }

    @GET
    public Map<String, Object> get(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        return view(find(tenant, name));
    }

    @POST
    @Path("release")
    public Map<String, Object> release(@PathParam("tenant") String tenant, @PathParam("name") String name,
            byte[] body) {
        JsonNode root = readObject(body);
        JsonNode target = root.get("target");
        if (target == null || !target.isTextual()) {
            throw AttestationException.badRequest(AttestationErrors.MISSING_REQUIRED_PROPERTY,
                    "target (the attestation token) is required.", "target");
        }
        ReleaseKey key = find(tenant, name);
        TokenVerifier.Verified token = tokens.verify(target.asText());
        Map<String, Object> claims = token.claims();
        if (token.issuer().tenant().filter(t -> !t.equals(key.tenant())).isPresent()) {
            // creation never lets a key trust another tenant's instance; this holds for any stored policy too
            metrics.keyRelease(false);
            throw new AttestationException(403, AttestationErrors.RELEASE_POLICY_NOT_SATISFIED, "The token was"
                    + " issued by another tenant's attestation instance; a key is released only on tokens of the"
                    + " instances its release policy names.", "target");
        }
        ReleasePolicy policy;
        try {
            policy = ReleasePolicy.parse(json.readTree(key.releasePolicy()));
        } catch (IOException e) {
            throw new IllegalStateException("stored release policy does not parse", e);
        }
        var failure = policy.check(claims, token.issuer().issuer(), authorities.provider().issuer());
        if (failure.isPresent()) {
            metrics.keyRelease(false);
            throw new AttestationException(403, AttestationErrors.RELEASE_POLICY_NOT_SATISFIED,
                    "The token does not satisfy the key's release policy: " + failure.get() + ".", "target");
        }
        var wrapTo = WrappingKeys.fromClaims(claims).orElseThrow(() -> AttestationException.badRequest(
                AttestationErrors.NO_WRAPPING_KEY, "The token's x-ms-runtime.keys has no RSA key (2048 to 8192"
                        + " bits) with key_ops [\"encrypt\"] or use \"enc\" to wrap the key to.",
                "target"));
        byte[] ciphertext = KeyWrap.wrap(wrapTo.key(), key.material());

        var hsmHeader = new LinkedHashMap<String, Object>();
        hsmHeader.put("kid", wrapTo.kid());
        hsmHeader.put("alg", "dir");
        hsmHeader.put("enc", KeyWrap.HSM_ENC);
        var keyHsm = new LinkedHashMap<String, Object>();
        keyHsm.put("schema_version", "1.0");
        keyHsm.put("header", hsmHeader);
        keyHsm.put("ciphertext", Base64s.url(ciphertext));
        var jwk = new LinkedHashMap<String, Object>();
        jwk.put("kid", kid(key));
        jwk.put("kty", key.kty());
        jwk.put("key_ops", List.of("encrypt", "decrypt", "wrapKey", "unwrapKey"));
        try {
            jwk.put("key_hsm", Base64s.url(json.writeValueAsBytes(keyHsm)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var response = new LinkedHashMap<String, Object>();
        response.put("key", Map.of("key", jwk, "attributes", attributes(key), "release_policy", storedPolicy(key)));
        var payload = new LinkedHashMap<String, Object>();
        payload.put("request", Map.of("api-version", "7.4", "enc", KeyWrap.ENC, "kid", kid(key)));
        payload.put("response", response);
        metrics.keyRelease(true);
        return Map.of("value", issuer.sign(payload));
    }

    private ReleaseKey find(String tenant, String name) {
        Tenants.check(tenant);
        checkName(name);
        return keys.latest(tenant, name).orElseThrow(() -> new AttestationException(404, AttestationErrors.NOT_FOUND,
                "Key '" + name + "' does not exist for tenant '" + tenant + "'.", "name"));
    }

    private Map<String, Object> view(ReleaseKey key) {
        var k = new LinkedHashMap<String, Object>();
        k.put("kid", kid(key));
        k.put("kty", key.kty());
        k.put("key_ops", List.of("encrypt", "decrypt", "wrapKey", "unwrapKey"));
        var m = new LinkedHashMap<String, Object>();
        m.put("key", k);
        m.put("attributes", attributes(key));
        m.put("release_policy", storedPolicy(key));
        return m;
    }

    private String kid(ReleaseKey key) {
        return config.issuer() + "/tenants/" + key.tenant() + "/keys/" + key.name() + "/" + key.version();
    }

    private static Map<String, Object> attributes(ReleaseKey key) {
        return Map.of("enabled", true, "exportable", true, "created", key.createdAt().getEpochSecond());
    }

    private static Map<String, Object> storedPolicy(ReleaseKey key) {
        return Map.of("contentType", POLICY_CONTENT_TYPE, "data", Base64s.url(key.releasePolicy().getBytes(
                StandardCharsets.UTF_8)));
    }

    private JsonNode readObject(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // answered below
        }
        throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT,
                "The body must be a JSON object.");
    }

    private static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9-]{1,127}")) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT,
                    "A key name is 1 to 127 letters, digits or dashes.", "name");
        }
    }

    private static AttestationException invalidPolicy(String message) {
        return AttestationException.badRequest(AttestationErrors.INVALID_RELEASE_POLICY, "The release policy is not"
                + " valid: " + message + ".", "release_policy");
    }
}
