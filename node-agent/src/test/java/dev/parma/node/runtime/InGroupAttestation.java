package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import dev.parma.guest.AttestEndpoint;
import dev.parma.node.vm.SimDriver;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/** A report from a simulated UVM's attestation endpoint, asked on the node through the endpoint's Unix socket. */
final class InGroupAttestation {

    private InGroupAttestation() {
    }

    /** The endpoint's socket of the UVM whose directory is {@code uvmDir}. */
    static Path socket(Path uvmDir) throws IOException {
        return AttestEndpoint.directory(SimDriver.socketDir(uvmDir)).resolve(AttestEndpoint.SOCKET);
    }

    /** {@code POST /attest/raw} over the socket: the status line and the JSON body. */
    static Answer post(Path socket, byte[] runtimeData) throws IOException {
        String body = "{\"runtime_data\":\"" + Base64.getEncoder().encodeToString(runtimeData) + "\"}";
        String request = "POST /attest/raw HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(ch).write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            return new Answer(answer.substring(0, answer.indexOf("\r\n")), Json.mapper().readTree(answer.substring(
                    end + 4)));
        }
    }

    record Answer(String status, JsonNode body) {
    }
}
