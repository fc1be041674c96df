package dev.parma.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-group attestation endpoint over its Unix socket: ACI's {@code POST /attest/raw}, REPORT_DATA =
 * SHA-256(runtime data) and 32 zero bytes, and a CloudError-shaped answer (naming the field) for whatever else
 * arrives. The secure processor here is a socket that signs nothing and puts the REPORT_DATA it was asked for into
 * an unsigned report; the node-agent tests run the real one.
 */
class AttestEndpointTest {

    @TempDir
    Path tmp;
    ServerSocketChannel processor;
    AttestEndpoint endpoint;
    Path socket;

    @BeforeEach
    void serve() throws IOException {
        Path sp = tmp.resolve("sev-guest.sock");
        processor = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        processor.bind(UnixDomainSocketAddress.of(sp));
        var t = new Thread(this::answerReports, "test-sp");
        t.setDaemon(true);
        t.start();
        endpoint = AttestEndpoint.serve(new ReportChannel(sp), tmp);
        socket = tmp.resolve("attest").resolve("attest.sock");
    }

    @AfterEach
    void close() throws IOException {
        endpoint.close();
        processor.close();
    }

    private void answerReports() {
        while (processor.isOpen()) {
            try (SocketChannel ch = processor.accept()) {
                ObjectNode req = Frames.read(Channels.newInputStream(ch));
                byte[] reportData = Base64.getDecoder().decode(req.path("reportData").asText());
                ObjectNode reply = Frames.object();
                reply.put("ok", true);
                reply.put("report", Base64.getEncoder().encodeToString(AttestationReport.builder()
                        .reportData(reportData).build().toBytes()));
                reply.put("vcekChain", "-----BEGIN CERTIFICATE-----\n…");
                reply.put("uvmEndorsement", "ZW5kb3JzZW1lbnQ=");
                Frames.write(Channels.newOutputStream(ch), reply);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Sends raw bytes, returns everything the endpoint answered before it closed the connection. */
    String exchange(String request) throws IOException {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Frames.output(ch).write(request.getBytes(StandardCharsets.UTF_8));
            return new String(Frames.input(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String post(String body) {
        return "POST /attest/raw HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static JsonNode body(String response) throws IOException {
        return Frames.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aReportBindsTheRuntimeDataAsSkrsAttestRawDoes() throws Exception {
        byte[] runtimeData = "{\"keys\":[{\"kid\":\"k1\"}]}".getBytes(StandardCharsets.UTF_8);
        String response = exchange(post("{\"runtime_data\":\"" + Base64.getEncoder().encodeToString(runtimeData)
                + "\"}"));
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n");
        JsonNode body = body(response);
        byte[] reportData = AttestationReport.parse(HexFormat.of().parseHex(body.path("report").asText()))
                .reportData();
        byte[] expected = new byte[64];
        System.arraycopy(GuestAgent.sha256(runtimeData), 0, expected, 0, 32);
        assertThat(reportData).isEqualTo(expected);
        assertThat(body.path("runtimeData").asText()).isEqualTo(Base64.getEncoder().encodeToString(runtimeData));
        assertThat(body.path("vcekCertChain").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(body.path("uvmEndorsement").asText()).isEqualTo("ZW5kb3JzZW1lbnQ=");
    }

    @Test
    void anythingElseIsRefusedWithItsReasonAndNoReport() throws Exception {
        assertThat(exchange("GET /attest/raw HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 405 ");
        assertThat(exchange("POST /attest/maa HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")).startsWith("HTTP/1.1 404 ");
        assertThat(exchange("POST /attest/raw HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 411 ");
        assertThat(exchange("POST /attest/raw HTTP/1.1\r\nContent-Length: 999999\r\n\r\n")).startsWith(
                "HTTP/1.1 413 ");
        assertThat(exchange("nonsense\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("POST /attest/raw HTTP/1.1\r\nX: " + "x".repeat(9000) + "\r\n\r\n")).startsWith(
                "HTTP/1.1 431 ");
        String notBase64 = exchange(post("{\"runtime_data\":\"%%%\"}"));
        assertThat(notBase64).startsWith("HTTP/1.1 400 ").doesNotContain("\"report\"");
        assertThat(body(notBase64).at("/error/target").asText()).isEqualTo("runtime_data");
        assertThat(body(exchange(post("{}"))).at("/error/code").asText()).isEqualTo("BadRequest");
        assertThat(exchange(post("not json"))).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void theSocketIsInADirectoryOfItsOwnThatContainersSeeReadOnlyAtRunParma() throws Exception {
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString(
                "rwxr-xr-x"));
        try (var files = Files.list(socket.getParent())) {
            assertThat(files).as("nothing but the endpoint is shown to containers").containsExactly(socket);
        }
        ObjectNode mount = AttestEndpoint.mount(tmp);
        assertThat(mount.path("destination").asText()).isEqualTo("/run/parma");
        assertThat(mount.path("source").asText()).isEqualTo(socket.getParent().toString());
        assertThat(GuestAgent.strings(mount.path("options"))).contains("bind", "ro", "nosuid", "nodev", "noexec");
    }
}
