package dev.parma.node.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.guest.Frames;
import dev.parma.snp.sim.SimGuest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The report-request channel of one simulated UVM (its /dev/sev-guest): a Unix socket, mode 0600, whose only op
 * is {@code report {reportData (64 bytes, base64), vmpl}} → {@code {ok, report, vcekChain, uvmEndorsement}}. The
 * guest cannot name HOST_DATA or the measurement: they were fixed at LAUNCH_FINISH.
 */
public final class SecureProcessorChannel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SecureProcessorChannel.class);

    private final ServerSocketChannel server;
    private final SimGuest guest;
    private final String chainPem;
    private final String endorsement;
    private final Path path;
    private final Thread acceptor;

    public SecureProcessorChannel(Path path, SimGuest guest, String endorsement) throws IOException {
        this.path = path;
        this.guest = guest;
        var chain = guest.certificateChain();
        this.chainPem = SimPlatform.pem(chain.leaf()) + chain.intermediateCert().map(SimPlatform::pem).orElse("")
                + chain.rootCert().map(SimPlatform::pem).orElse("");
        this.endorsement = endorsement;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        this.acceptor = new Thread(this::acceptLoop, "sev-guest-" + path.getParent().getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                ObjectNode req = Frames.read(Channels.newInputStream(ch));
                if (req != null) {
                    Frames.write(Channels.newOutputStream(ch), answer(req));
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.debugf("report channel %s: %s", path, e.getMessage());
                }
            }
        }
    }

    ObjectNode answer(ObjectNode req) {
        var reply = Frames.object();
        try {
            if (!"report".equals(req.path("op").asText())) {
                throw new IllegalArgumentException("unknown op");
            }
            byte[] reportData = Base64.getDecoder().decode(req.path("reportData").asText(""));
            int vmpl = req.path("vmpl").asInt(0);
            if (reportData.length != 64 || vmpl < 0 || vmpl > 3) {
                throw new IllegalArgumentException("reportData must be 64 bytes and vmpl 0..3");
            }
            byte[] report = guest.report(reportData, vmpl);
            reply.put("ok", true);
            reply.put("report", Base64.getEncoder().encodeToString(report));
            reply.put("vcekChain", chainPem);
            reply.put("uvmEndorsement", endorsement);
        } catch (RuntimeException e) {
            reply.put("ok", false);
            reply.put("error", String.valueOf(e.getMessage()));
        }
        return reply;
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
