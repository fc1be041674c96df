package dev.parma.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.policy.generate.ContainerDerivation;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PlatformContract;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.spec.SecurityContext;
import dev.parma.policy.verity.VerityHash;
import dev.parma.snp.abi.AttestationReport;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the host proposes in a container's spec does not decide its isolation. A mount dressed as a runtime mount is
 * judged like any other (and refused by a policy that does not list it); an allowed container runs with the guest's
 * namespaces, masked paths and device rules whatever the host asked for, and with the group's attestation endpoint
 * mounted last at /run/parma. A guest with a policy and a fake secure processor (HOST_DATA right, nothing signed);
 * runc is asked to run the container (its program is not one, which does not matter: the bundle is what is checked).
 */
class GuestIsolationTest {

    @TempDir
    Path tmp;
    ServerSocketChannel processor;
    GuestAgent agent;

    @BeforeEach
    void guestWithAPolicy() throws Exception {
        Files.createDirectories(tmp.resolve("layer/bin"));
        Files.writeString(tmp.resolve("layer/bin/hello"), "not a program\n");
        Path layer = tmp.resolve("layer.img");
        Layers.run(List.of("tar", "-cf", layer.toString(), "-C", tmp.resolve("layer").toString(), "."));
        long size = Files.size(layer);
        Files.write(layer, new byte[(int) ((size + 4095) / 4096 * 4096 - size)],
                java.nio.file.StandardOpenOption.APPEND);
        var info = new ImageInfo("img", Optional.empty(), Optional.of(List.of("/bin/hello")), List.of("PATH=/bin"),
                Optional.empty(), List.of(VerityHash.rootHash(layer)));
        byte[] policy = PolicyGenerator.generate(new GroupSpec(List.of(ContainerSpec.of("app", "img").withCommand(List
                .of("/bin/hello")))), Map.of("img", info), GenerateOptions.defaults()).getBytes(StandardCharsets.UTF_8);

        byte[] report = AttestationReport.builder().hostData(GuestAgent.sha256(policy)).build().toBytes();
        Path sp = tmp.resolve("sev-guest.sock");
        processor = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        processor.bind(UnixDomainSocketAddress.of(sp));
        var t = new Thread(() -> {
            while (processor.isOpen()) {
                try (SocketChannel ch = processor.accept()) {
                    Frames.read(Channels.newInputStream(ch));
                    ObjectNode reply = Frames.object().put("ok", true).put("vcekChain", "");
                    reply.put("report", Base64.getEncoder().encodeToString(report));
                    Frames.write(Channels.newOutputStream(ch), reply);
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-sp");
        t.setDaemon(true);
        t.start();

        Path uvm = Files.createDirectories(tmp.resolve("uvm"));
        agent = new GuestAgent(uvm, tmp, new ReportChannel(sp));
        ok(call("init", Frames.object().put("policy", Base64.getEncoder().encodeToString(policy))));
        ok(call("mountDevice", Frames.object().put("target", "/run/mounts/scsi/m0").put("source", layer.toString())));
        ObjectNode overlay = Frames.object().put("containerId", "app-1").put("target", "/run/gcs/c/app-1/rootfs");
        overlay.putArray("layerPaths").add("/run/mounts/scsi/m0");
        ok(call("mountOverlay", overlay));
    }

    @AfterEach
    void stop() throws IOException {
        agent.containers().stopAll(100);
        Layers.unmountUnder(tmp);
        processor.close();
    }

    ObjectNode call(String op, ObjectNode req) {
        req.put("op", op);
        return agent.handle(req);
    }

    static void ok(ObjectNode reply) {
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
    }

    /** The spec a host proposes for the policy's container, with the runtime's own mounts. */
    static ObjectNode create() {
        ObjectNode req = Frames.object().put("containerId", "app-1").put("rootfs", "/run/gcs/c/app-1/rootfs");
        ObjectNode spec = req.putObject("spec");
        ObjectNode process = spec.putObject("process");
        process.putObject("user").put("uid", 0).put("gid", 0);
        process.putArray("args").add("/bin/hello");
        ArrayNode env = process.putArray("env").add("PATH=/bin");
        PlatformContract.INJECTED_ENV_VALUES.forEach(env::add);
        process.put("cwd", "/");
        var caps = ContainerDerivation.capabilities(SecurityContext.DEFAULT);
        ObjectNode sets = process.putObject("capabilities");
        for (int i = 0; i < 5; i++) {
            caps.all().get(i).forEach(sets.putArray(CapabilitySets.SET_NAMES.get(i))::add);
        }
        spec.putObject("root").put("path", "rootfs");
        RuntimeDefaults.addMounts(spec.putArray("mounts"));
        spec.putObject("linux");
        return req;
    }

    @Test
    void aHostMountDressedAsARuntimeMountIsJudgedAndRefused() {
        ObjectNode req = create();
        // runc treats a mount with a bind option as a bind mount, whatever its type says: this is the host's / at /proc
        ObjectNode disguised = ((ArrayNode) req.at("/spec/mounts")).insertObject(0);
        disguised.put("destination", "/proc").put("type", "proc").put("source", "/");
        disguised.putArray("options").add("rbind").add("rw");
        ObjectNode reply = call("createContainer", req);
        assertThat(reply.path("denied").asBoolean()).as(reply.toString()).isTrue();
        assertThat(reply.path("point").asText()).isEqualTo("CREATE_CONTAINER");
    }

    @Test
    void anAllowedContainerGetsTheGuestsIsolationAndItsGroupsAttestationEndpointWhateverTheHostProposed()
            throws Exception {
        ObjectNode req = create();
        ObjectNode linux = (ObjectNode) req.at("/spec/linux");
        // the host asks for the node's namespaces, no masked paths and every device
        ArrayNode ns = linux.putArray("namespaces");
        ns.addObject().put("type", "network").put("path", "/proc/1/ns/net");
        ns.addObject().put("type", "mount").put("path", "/proc/1/ns/mnt");
        linux.putArray("maskedPaths");
        linux.putObject("resources").putArray("devices").addObject().put("allow", true).put("access", "rwm");
        req.with("spec").putObject("hooks").putArray("prestart").addObject().put("path", "/bin/true");
        ok(call("createContainer", req));

        JsonNode run = Frames.JSON.readTree(tmp.resolve("uvm/containers/app-1/config.json").toFile());
        assertThat(run.at("/linux/namespaces").toString())
                .isEqualTo("[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]");
        assertThat(GuestAgent.strings(run.at("/linux/maskedPaths"))).isEqualTo(RuntimeDefaults.MASKED_PATHS);
        assertThat(GuestAgent.strings(run.at("/linux/readonlyPaths"))).isEqualTo(RuntimeDefaults.READONLY_PATHS);
        assertThat(run.at("/linux/resources/devices").toString()).isEqualTo("[{\"allow\":false,\"access\":\"rwm\"}]");
        assertThat(run.has("hooks")).isFalse();
        JsonNode last = run.path("mounts").get(run.path("mounts").size() - 1);
        assertThat(last.path("destination").asText()).isEqualTo("/run/parma");
        assertThat(last.path("source").asText()).isEqualTo(tmp.resolve("attest").toString());
        assertThat(GuestAgent.strings(last.path("options"))).contains("ro");
        assertThat(Files.getPosixFilePermissions(tmp.resolve("uvm/containers/app-1/config.json")))
                .as("the spec holds the environment: the guest's alone").isEqualTo(OwnerOnly.FILE);
    }
}
