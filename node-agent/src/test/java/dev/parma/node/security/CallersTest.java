package dev.parma.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.identity.Pki;
import dev.parma.identity.Principal;
import dev.parma.identity.ServiceName;
import dev.parma.identity.Tls;
import dev.parma.node.NodeTestResources;
import dev.parma.testsupport.TestPki;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Who may call a node agent: only the control plane commands it (logs, exec sessions, overhead); the UVM's public
 * facts are for the platform's services; a tenant's token, no certificate, another CA's certificate or another node
 * get nothing. The exec websocket is the one path without a certificate (it opens with its one-time password).
 */
@QuarkusTest
@NodeTestResources
class CallersTest {

    static final String LOGS = "/groups/no-such-group/containers/app/logs";

    @TestHTTPResource(value = "/", tls = true)
    URI base;

    int status(SSLContext tls, String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newBuilder().sslContext(tls).build()
                .send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static SSLContext as(Principal p) {
        return Tls.context(TestPki.identity(p));
    }

    @Test
    void onlyTheControlPlaneCommandsTheNode() throws Exception {
        assertThat(status(as(Principal.service(ServiceName.DEPLOYMENT_SERVICE)), LOGS)).isNotIn(401, 403);
        for (Principal p : List.of(Principal.service(ServiceName.API_GATEWAY),
                Principal.service(ServiceName.ATTESTATION_SERVICE), Principal.service(ServiceName.PROMETHEUS),
                Principal.node("another-node"))) {
            assertThat(status(as(p), LOGS)).as(p.commonName()).isEqualTo(403);
            assertThat(status(as(p), "/overhead")).as(p.commonName()).isEqualTo(403);
        }
        assertThat(status(as(Principal.service(ServiceName.ATTESTATION_SERVICE)), "/uvm")).isEqualTo(200);
        assertThat(status(as(Principal.service(ServiceName.PROMETHEUS)), "/q/metrics")).isEqualTo(200);
        assertThat(status(as(Principal.node("another-node")), "/uvm")).isEqualTo(403);
    }

    @Test
    void withoutAPlatformCertificate_onlyTheExecDoorAnswers() throws Exception {
        SSLContext anonymous = Tls.anonymous(TestPki.operator().ca());
        assertThat(status(anonymous, LOGS)).isEqualTo(401);
        assertThat(status(anonymous, LOGS, "Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.")).isEqualTo(401);
        assertThat(status(anonymous, "/uvm")).isEqualTo(401);
        assertThat(status(anonymous, "/q/metrics")).isEqualTo(401);
        assertThat(status(anonymous, "/q/health/ready")).isEqualTo(200);
        // the exec door is open to anyone, and a session without its password is refused there
        assertThat(status(anonymous, "/exec/no-such-session")).isNotEqualTo(200);
        assertThat(status(anonymous, "/exec/..%2fgroups/x/containers/y/logs")).isEqualTo(401);
    }

    @Test
    void aCertificateFromAnotherCaIsNotAPlatformPrincipal() throws Exception {
        Pki foreign = Pki.at(Files.createTempDirectory("foreign-pki"));
        var impostor = foreign.ensure(Principal.service(ServiceName.DEPLOYMENT_SERVICE), List.of("127.0.0.1"));
        SSLContext tls = Tls.context(impostor.tls(), TestPki.operator().ca());
        // requested, not required: the handshake may fail, or succeed without a verified peer; never admitted
        try {
            assertThat(status(tls, LOGS)).isEqualTo(401);
        } catch (IOException refusedInTheHandshake) {
            assertThatThrownBy(() -> status(tls, LOGS)).isInstanceOf(IOException.class);
        }
    }
}
