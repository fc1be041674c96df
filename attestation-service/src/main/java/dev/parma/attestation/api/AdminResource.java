package dev.parma.attestation.api;

import dev.parma.attestation.oidc.SigningKeys;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Operator actions. Rotation also happens on its own when the signing key reaches the rotation interval. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final SigningKeys keys;

    AdminResource(SigningKeys keys) {
        this.keys = keys;
    }

    /** Creates a new signing key now; the previous one stays in the JWKS for the retention period. */
    @POST
    @Path("signing-keys/rotate")
    public Map<String, Object> rotate() {
        var k = keys.rotate();
        return Map.of("kid", k.kid(), "published", keys.published().stream().map(SigningKeys.SigningKey::kid)
                .toList());
    }
}
