package dev.parma.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The node↔guest wire format: length-prefixed JSON objects, bounded. */
class FramesTest {

    @Test
    void aFrameRoundTripsAndEndOfStreamIsNull() throws IOException {
        var out = new ByteArrayOutputStream();
        var req = Frames.object();
        req.put("op", "status");
        req.put("id", 7);
        Frames.write(out, req);
        Frames.write(out, req);
        byte[] bytes = out.toByteArray();
        assertThat(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]).isEqualTo(bytes.length / 2 - 4);
        var in = new ByteArrayInputStream(bytes);
        assertThat(Frames.read(in)).isEqualTo(req);
        assertThat(Frames.read(in)).isEqualTo(req);
        assertThat(Frames.read(in)).isNull();
    }

    @Test
    void oversizedNegativeTruncatedAndNonObjectFramesAreRefused() throws IOException {
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(header(Frames.MAX_FRAME + 1))))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(header(-1))))
                .hasMessageContaining("out of range");
        var truncated = new ByteArrayOutputStream();
        truncated.write(header(10));
        truncated.write("{}".getBytes());
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(truncated.toByteArray())))
                .isInstanceOf(EOFException.class);
        var array = new ByteArrayOutputStream();
        array.write(header(2));
        array.write("[]".getBytes());
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(array.toByteArray())))
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void aGuestWithoutPolicyRefusesEverythingButInitAndStatus() {
        var agent = new GuestAgent(java.nio.file.Path.of("target/no-uvm"), new ReportChannel(
                java.nio.file.Path.of("target/no-socket")));
        var req = Frames.object();
        req.put("op", "createContainer");
        var reply = agent.handle(req);
        assertThat(reply.path("ok").asBoolean()).isFalse();
        assertThat(reply.path("code").asText()).isEqualTo("NotInitialized");
        var status = Frames.object();
        status.put("op", "status");
        assertThat(agent.handle(status).path("initialized").asBoolean()).isFalse();
        // without a secure processor there is no HOST_DATA, so init fails and nothing is loaded
        var init = Frames.object();
        init.put("op", "init");
        init.put("policy", java.util.Base64.getEncoder().encodeToString("package policy".getBytes()));
        assertThat(agent.handle(init).path("ok").asBoolean()).isFalse();
        assertThat(agent.handle(req).path("code").asText()).isEqualTo("NotInitialized");
    }

    private static byte[] header(int n) throws IOException {
        var b = new ByteArrayOutputStream();
        new DataOutputStream(b).writeInt(n);
        return b.toByteArray();
    }
}
