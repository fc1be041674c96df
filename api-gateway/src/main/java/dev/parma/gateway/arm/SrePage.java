package dev.parma.gateway.arm;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /sre} → {@code /sre/}, where the static SRE page lives (META-INF/resources/sre). The page holds no data,
 * so neither path needs a token; its data endpoint does.
 */
@Path(SrePage.PATH)
public class SrePage {

    public static final String PATH = "/sre";

    @GET
    public Response page() {
        return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create(PATH + "/")).build();
    }
}
