package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.auth.Access;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The SRE node view: the deployment service's node inventory (capacity, SNP, TCB), for the SRE role only. */
@Path("/providers/Parma.Operations/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodesApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Access access;

    @ConfigProperty(name = "quarkus.rest-client.deployment.url")
    String backend;

    NodesApi(Access access) {
        this.access = access;
    }

    @GET
    public Response list(@QueryParam("api-version") String apiVersion) throws InterruptedException {
        ApiVersions.require(apiVersion);
        access.requireSre();
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create(backend + "/admin/nodes"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return Response.status(r.statusCode()).entity(r.body()).type(MediaType.APPLICATION_JSON).build();
        } catch (java.io.IOException e) {
            throw new ArmError(503, CloudError.of("ServiceUnavailable",
                    "The service is temporarily unavailable; retry the request."));
        }
    }
}
