package dev.parma.attestation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.reference.ReferenceValues;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Map;

/**
 * Reference values: {@code POST /referenceValues/uvm} registers an endorsed UVM launch measurement
 * {@code {"launchMeasurement": "<96 hex>", "svn": n}} (the fleet registers its simulated UVM this way or through
 * configuration); {@code GET} lists them. An operator API: not for tenants.
 */
@Path("/referenceValues/uvm")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ReferenceResource {

    private final ReferenceValues references;
    private final ObjectMapper json;

    ReferenceResource(ReferenceValues references, ObjectMapper json) {
        this.references = references;
        this.json = json;
    }

    @GET
    public Map<String, Object> list() {
        return Map.of("value", references.all().values());
    }

    @POST
    public ReferenceValues.Endorsement register(byte[] body) {
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject() || !node.path("launchMeasurement").isTextual() || !node.path("svn")
                .canConvertToInt()) {
            throw AttestationException.badRequest(AttestationErrors.INVALID_REQUEST_CONTENT,
                    "The body must be {\"launchMeasurement\": \"<96 hex digits>\", \"svn\": <integer>}.");
        }
        return references.register(node.get("launchMeasurement").asText(), node.get("svn").asInt(), "api");
    }
}
