package dev.parma.node.api;

import dev.parma.contracts.node.OverheadSummary;
import dev.parma.node.runtime.Groups;
import dev.parma.node.runtime.Overhead;
import dev.parma.node.vm.SimDriver;
import dev.parma.node.vm.VmDriver;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node agent's HTTP surface for the control plane: container logs, the overhead summary, the UVM measurement, the
 * sim roots.
 */
@Path("/")
public class NodeResource {

    private final Groups groups;
    private final VmDriver driver;
    private final Overhead overhead;

    NodeResource(Groups groups, VmDriver driver, Overhead overhead) {
        this.groups = groups;
        this.driver = driver;
        this.overhead = overhead;
    }

    /** What this node's finished container runs cost, per workload and isolation (sums, so nodes add up). */
    @GET
    @Path("overhead")
    @Produces(MediaType.APPLICATION_JSON)
    public OverheadSummary overhead() {
        return overhead.summary();
    }

    /**
     * A container's log, like ACI's listLogs: the last {@code tail} lines (0 or absent = all), never more than the
     * last 4 MB. In a confidential group the guest serves it, and only if the policy allows the container's stdio.
     */
    @GET
    @Path("groups/{groupId}/containers/{container}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    public String logs(@PathParam("groupId") String groupId, @PathParam("container") String container,
            @QueryParam("tail") @DefaultValue("0") int tail,
            @QueryParam("timestamps") @DefaultValue("false") boolean timestamps) {
        try {
            return groups.logs(groupId, container, tail, timestamps)
                    .orElseThrow(() -> new NotFoundException("no group " + groupId + " on this node"));
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(e.getMessage());
        } catch (SecurityException e) {
            throw new WebApplicationException(Response.status(403).entity(e.getMessage())
                    .type(MediaType.TEXT_PLAIN).build());
        } catch (IOException e) {
            throw new WebApplicationException(Response.status(502).entity(e.getMessage())
                    .type(MediaType.TEXT_PLAIN).build());
        }
    }

    /** What the attestation service endorses: the driver and the launch digest every UVM here starts with. */
    @GET
    @Path("uvm")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> uvm() {
        var m = new LinkedHashMap<String, Object>();
        m.put("driver", driver.name());
        m.put("snp", driver.confidential());
        m.put("simulated", driver.simulated());
        m.put("measurement", driver.uvmMeasurement());
        if (driver instanceof SimDriver sim) {
            m.put("endorsement", sim.endorsement());
            m.put("image", sim.image().classpath().stream().map(p -> p.getFileName().toString()).toList());
        }
        return m;
    }

    /** The simulated UVM publisher's root certificate (PEM): the attestation service trusts it to sign endorsements. */
    @GET
    @Path("uvm/endorsement-signer")
    @Produces("application/x-pem-file")
    public String endorsementSigner() {
        if (driver instanceof SimDriver sim) {
            return sim.endorsementSignerPem();
        }
        throw new NotFoundException("this node's UVM is not simulated");
    }

    /** The simulated ARK and ASK (PEM), to be trusted by a verifier that accepts this node's simulated reports. */
    @GET
    @Path("uvm/sim-roots")
    @Produces("application/x-pem-file")
    public String simRoots() {
        if (driver instanceof SimDriver sim) {
            return sim.rootsPem();
        }
        throw new NotFoundException("this node's secure processor is not simulated");
    }
}
