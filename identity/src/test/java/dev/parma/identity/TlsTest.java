package dev.parma.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Real handshakes on loopback: the server requires a client certificate from the platform CA. */
class TlsTest {

    final PlatformCa ca = PlatformCa.create("platform");
    final Credentials server = ca.issue(Principal.service(ServiceName.DEPLOYMENT_SERVICE), Purpose.TLS,
            List.of("127.0.0.1", "localhost"));

    @Test
    void bothSidesLearnWhoTheOtherIs() throws Exception {
        var client = ca.issue(Principal.service(ServiceName.API_GATEWAY), Purpose.TLS, List.of());
        assertThat(handshake(Tls.context(client, ca.certificate())))
                .contains(Principal.service(ServiceName.API_GATEWAY));
    }

    @Test
    void aClientWithoutACertificateOrFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> handshake(Tls.anonymous(ca.certificate()))).isInstanceOf(IOException.class);
        var other = PlatformCa.create("platform");
        var forged = other.issue(Principal.service(ServiceName.API_GATEWAY), Purpose.TLS, List.of());
        assertThatThrownBy(() -> handshake(Tls.context(forged, ca.certificate()))).isInstanceOf(IOException.class);
    }

    @Test
    void aClientTrustsOnlyThePlatformCa() {
        var other = PlatformCa.create("platform");
        var client = ca.issue(Principal.service(ServiceName.API_GATEWAY), Purpose.TLS, List.of());
        assertThatThrownBy(() -> handshake(Tls.context(client, other.certificate()))).isInstanceOf(IOException.class);
    }

    private Optional<Principal> handshake(SSLContext clientContext) throws Exception {
        SSLContext serverContext = Tls.context(server, ca.certificate());
        try (var listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            var accepted = CompletableFuture.supplyAsync(() -> {
                try (var s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    var peer = PlatformTrust.peer(s.getSession().getPeerCertificates());
                    s.getOutputStream().write(1);
                    return peer;
                } catch (IOException e) {
                    return Optional.<Principal>empty();
                }
            });
            try (var s = (SSLSocket) clientContext.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort())) {
                s.startHandshake();
                // TLS 1.3: the server's verdict on our certificate arrives with the first read
                if (s.getInputStream().read() != 1) {
                    throw new IOException("server closed the connection");
                }
            }
            return accepted.get();
        }
    }
}
