package dev.parma.deployment.api;

import dev.parma.deployment.group.Reconciler;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * An operator's answer to the liveness breaker (operators only, see security/Callers): the nodes it holds back are
 * really gone, so they are declared lost and their groups moved. The breaker's state is in the SRE overview.
 */
@Path("/admin/liveness")
@Produces(MediaType.APPLICATION_JSON)
public class LivenessResource {

    private final Reconciler reconciler;

    LivenessResource(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @POST
    @Path("/release")
    public Reconciler.Released release() {
        return reconciler.release().orElseThrow(() -> new ArmException(409, "LivenessBreakerClosed",
                "The liveness breaker is not open: no node is held back.", null));
    }
}
