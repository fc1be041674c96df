package dev.parma.guest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.policy.generate.ContainerDerivation;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PlatformContract;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.spec.SecurityContext;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.verity.VerityHash;
import dev.parma.snp.abi.AttestationReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training run of the guest for its class-data-sharing archive: {@code java -XX:ArchiveClassesAtExit=<jsa> -cp
 * <image> dev.parma.guest.GuestTraining <scratch-dir>}. It takes a throwaway UVM (an unsigned report with the
 * right HOST_DATA, a one-file layer) through what a real one does first — init with the HOST_DATA check, mount_device
 * with dm-verity, mount_overlay, create_container, status, stats, logs, shutdown, a request to the attestation
 * endpoint — every request as a frame (or HTTP, for the endpoint), so the
 * archive holds the classes the real path loads. The archive is then part of the measured UVM image.
 */
public final class GuestTraining {

    private GuestTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        Path layerRoot = Files.createDirectories(dir.resolve("layer/bin"));
        Files.writeString(layerRoot.resolve("hello"), "training\n");
        Path layer = dir.resolve("layer.img");
        Layers.run(List.of("tar", "-cf", layer.toString(), "-C", dir.resolve("layer").toString(), "."));
        pad(layer);
        String hash = VerityHash.rootHash(layer);
        var info = new ImageInfo("train", Optional.empty(), Optional.of(List.of("/bin/hello")), List.of("PATH=/bin"),
                Optional.empty(), List.of(hash));
        String policy = PolicyGenerator.generate(new GroupSpec(List.of(ContainerSpec.of("app", "train")
                .withCommand(List.of("/bin/hello")))), Map.of("train", info), GenerateOptions.defaults());
        byte[] policyBytes = policy.getBytes(StandardCharsets.UTF_8);

        // an unsigned report with the right HOST_DATA: the guest reads HOST_DATA, verifiers check signatures
        byte[] report = AttestationReport.builder().hostData(GuestAgent.sha256(policyBytes)).build().toBytes();
        Path socket = dir.resolve("sev-guest.sock");
        Files.deleteIfExists(socket);
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            var reports = new Thread(() -> serveReports(server, report), "train-sp");
            reports.setDaemon(true);
            reports.start();

            var agent = new GuestAgent(dir, new ReportChannel(socket));
            var attest = AttestEndpoint.serve(new ReportChannel(socket), dir);
            call(agent, "init", Map.of("policy", Base64.getEncoder().encodeToString(policyBytes)));
            call(agent, "mountDevice", Map.of("target", "/run/mounts/scsi/m0", "source", layer.toString()));
            ObjectNode overlay = Frames.object();
            overlay.put("containerId", "app-1");
            overlay.putArray("layerPaths").add("/run/mounts/scsi/m0");
            overlay.put("target", "/run/gcs/c/app-1/rootfs");
            call(agent, "mountOverlay", overlay);
            ObjectNode create = Frames.object();
            create.put("containerId", "app-1");
            create.put("rootfs", "/run/gcs/c/app-1/rootfs");
            ObjectNode spec = create.putObject("spec");
            ObjectNode process = spec.putObject("process");
            process.putObject("user").put("uid", 0).put("gid", 0);
            process.putArray("args").add("/bin/hello");
            var env = process.putArray("env").add("PATH=/bin");
            PlatformContract.INJECTED_ENV_VALUES.forEach(env::add);
            process.put("cwd", "/");
            var caps = ContainerDerivation.capabilities(SecurityContext.DEFAULT);
            ObjectNode sets = process.putObject("capabilities");
            for (int i = 0; i < 5; i++) {
                caps.all().get(i).forEach(sets.putArray(CapabilitySets.SET_NAMES.get(i))::add);
            }
            spec.putObject("root").put("path", "rootfs");
            spec.putArray("mounts");
            spec.putObject("linux");
            call(agent, "createContainer", create);
            for (String op : List.of("status", "stats")) {
                call(agent, op, Map.of());
            }
            call(agent, "logs", Map.of("containerId", "app-1", "tail", 5));
            call(agent, "shutdown", Map.of("containerId", "app-1", "graceMillis", 100));
            call(agent, "exec", Map.of("containerId", "app-1"));
            attest(AttestEndpoint.directory(dir).resolve(AttestEndpoint.SOCKET));
            attest.close();
        }
        unmountUnder(dir);
        // the container's runtime may still be going away; the archive is written at exit
        Runtime.getRuntime().halt(0);
    }

    /** A request through the wire format and back, as the host would send it. */
    private static void call(GuestAgent agent, String op, Object args) throws Exception {
        ObjectNode req = args instanceof ObjectNode o ? o : Frames.JSON.valueToTree(args);
        req.put("op", op);
        var out = new ByteArrayOutputStream();
        Frames.write(out, req);
        ObjectNode reply = agent.handle(Frames.read(new ByteArrayInputStream(out.toByteArray())));
        Frames.write(new ByteArrayOutputStream(), reply);
        System.out.println(op + ": " + (reply.path("ok").asBoolean()
                ? "ok"
                : reply.path("code").asText() + " "
                        + reply.path("error").asText()));
    }

    /** One request to the attestation endpoint, as a container would send it. */
    private static void attest(Path socket) throws java.io.IOException {
        String body = "{\"runtime_data\":\"" + Base64.getEncoder().encodeToString("training".getBytes(
                StandardCharsets.UTF_8)) + "\"}";
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Frames.output(ch).write(("POST /attest/raw HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body).getBytes(StandardCharsets.US_ASCII));
            String answer = new String(Frames.input(ch).readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("attest: " + answer.lines().findFirst().orElse(""));
        }
    }

    /**
     * The training container cannot start (its layer has no real program), and runc may leave its root file system
     * bind mounted where it failed: nothing of the training stays mounted.
     */
    private static void unmountUnder(Path dir) {
        try {
            Layers.unmountUnder(dir);
        } catch (java.io.IOException e) {
            System.out.println("unmount: " + e.getMessage());
        }
    }

    private static void serveReports(ServerSocketChannel server, byte[] report) {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                ObjectNode req = Frames.read(Channels.newInputStream(ch));
                ObjectNode reply = Frames.object();
                reply.put("ok", true);
                reply.put("report", Base64.getEncoder().encodeToString(report));
                reply.put("vcekChain", "");
                Frames.write(Channels.newOutputStream(ch), reply);
            } catch (Exception e) {
                return;
            }
        }
    }

    private static void pad(Path tar) throws java.io.IOException {
        long size = Files.size(tar);
        long padded = Math.max(4096, (size + 4095) / 4096 * 4096);
        Files.write(tar, new byte[(int) (padded - size)], java.nio.file.StandardOpenOption.APPEND);
    }
}
