package dev.parma.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.gateway.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The operator views behind the SRE role: the deployment service's node inventory and overview, and the attestation
 * service's recent refused attestations. The overview is one answer made of both; if only the attestation service is
 * down, the overview still comes, saying that part is unavailable.
 */
@ApplicationScoped
public class Operations {

    private static final Logger LOG = Logger.getLogger(Operations.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeploymentAdminRestClient deployment;
    private final AttestationAdminRestClient attestation;
    private final Metrics metrics;

    Operations(@RestClient DeploymentAdminRestClient deployment, @RestClient AttestationAdminRestClient attestation,
            Metrics metrics) {
        this.deployment = deployment;
        this.attestation = attestation;
        this.metrics = metrics;
    }

    public Response nodes() {
        return Relay.relay(metrics, "deployment", Relay.Idempotence.IDEMPOTENT, deployment::nodes);
    }

    /**
     * The deployment service's overview ({@code denials} most recent policy denials) with
     * {@code attestationFailures: {available, value | reason}} holding the {@code failures} newest refused
     * attestations, read with the caller's own {@code authorization} header.
     */
    public Response overview(int denials, int failures, String authorization) {
        Response base = Relay.relay(metrics, "deployment", Relay.Idempotence.IDEMPOTENT,
                () -> deployment.overview(denials));
        if (base.getStatus() != 200) {
            return base;
        }
        ObjectNode out = (ObjectNode) read((String) base.getEntity());
        out.set("attestationFailures", attestationFailures(failures, authorization));
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON).build();
    }

    private ObjectNode attestationFailures(int top, String authorization) {
        ObjectNode part = JSON.createObjectNode();
        try (Response r = attestation.failures(authorization, top)) {
            if (r.getStatus() == 200) {
                JsonNode value = JSON.readTree(r.readEntity(String.class)).path("value");
                if (value.isArray()) {
                    part.put("available", true);
                    part.set("value", value);
                    return part;
                }
            }
            if (r.getStatus() >= 500) {
                metrics.upstreamError("attestation", "server_error");
            }
            LOG.warnf("attestation service answered %d for its recent failures", r.getStatus());
            part.put("reason", "The attestation service answered HTTP " + r.getStatus() + ".");
        } catch (java.io.IOException e) {
            LOG.warnf("attestation service answered unreadable JSON: %s", e.getMessage());
            part.put("reason", "The attestation service answered something unreadable.");
        } catch (ProcessingException e) {
            metrics.upstreamError("attestation", "unreachable");
            LOG.warnf("attestation service unreachable: %s", e.getMessage());
            part.put("reason", "The attestation service cannot be reached.");
        }
        part.put("available", false);
        return part;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a backend answered JSON it cannot read back", e);
        }
    }
}
