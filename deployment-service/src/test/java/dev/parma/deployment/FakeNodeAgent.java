package dev.parma.deployment;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.parma.identity.Principal;
import dev.parma.identity.Tls;
import dev.parma.testsupport.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A node agent's HTTPS side as the control plane meets it: the node's own certificate from the test PKI, a client
 * certificate required. Tests add contexts for the paths they play.
 */
final class FakeNodeAgent {

    private FakeNodeAgent() {
    }

    /** A started server presenting {@code nodeId}'s TLS identity (or another node's, to play an impostor). */
    static HttpsServer serving(String nodeId) {
        try {
            var server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            var context = Tls.context(TestPki.identity(Principal.node(nodeId)));
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    var p = context.getDefaultSSLParameters();
                    p.setNeedClientAuth(true);
                    params.setSSLParameters(p);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String endpoint(HttpsServer s) {
        return "https://127.0.0.1:" + s.getAddress().getPort();
    }
}
