package dev.parma.guest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The guest's only way to the (simulated) AMD secure processor, like /dev/sev-guest: it asks for a report over
 * REPORT_DATA and a VMPL and gets back the signed report, the VCEK chain and the UVM endorsement. Nothing in the
 * request can influence HOST_DATA or the measurement: the secure processor fixed them at launch.
 */
public final class ReportChannel {

    /** A signed report with what a verifier needs next to it. */
    public record Evidence(byte[] report, String vcekChainPem, String uvmEndorsement) {
    }

    private final Path socket;

    public ReportChannel(Path socket) {
        this.socket = socket;
    }

    public Evidence request(byte[] reportData, int vmpl) throws IOException {
        if (reportData.length != 64) {
            throw new IllegalArgumentException("REPORT_DATA must be 64 bytes, was " + reportData.length);
        }
        ObjectNode req = Frames.object();
        req.put("op", "report");
        req.put("reportData", Base64.getEncoder().encodeToString(reportData));
        req.put("vmpl", vmpl);
        ObjectNode reply = Frames.call(socket, req);
        if (!reply.path("ok").asBoolean()) {
            throw new IOException("secure processor refused: " + reply.path("error").asText());
        }
        return new Evidence(Base64.getDecoder().decode(reply.path("report").asText()),
                reply.path("vcekChain").asText(), reply.path("uvmEndorsement").asText(null));
    }
}
