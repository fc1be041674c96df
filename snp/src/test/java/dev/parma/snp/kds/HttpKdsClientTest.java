package dev.parma.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against a local server serving KDS paths: bodies are bounded, errors say what failed. */
class HttpKdsClientTest {
    static final KdsRequest CHAIN = new KdsRequest.CertChain(Product.MILAN, SigningKey.VCEK);

    HttpServer server;
    volatile int status = 200;
    volatile int bodyBytes = 100;
    volatile String path;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            path = ex.getRequestURI().toString();
            byte[] body = new byte[bodyBytes];
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HttpKdsClient client(int maxBody) {
        return new HttpKdsClient(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.getAddress().getPort(),
                Duration.ofSeconds(30), maxBody);
    }

    @Test
    void fetchesKdsPathsFromTheOrigin() {
        assertThat(client(1000).fetch(CHAIN)).hasSize(100);
        assertThat(path).isEqualTo("/vcek/v1/Milan/cert_chain");
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        bodyBytes = 1001;
        assertThatThrownBy(() -> client(1000).fetch(CHAIN)).isInstanceOf(KdsUnavailableException.class)
                .hasMessageContaining("larger than 1000 bytes");
        bodyBytes = 1000;
        assertThat(client(1000).fetch(CHAIN)).hasSize(1000);
    }

    @Test
    void errorsNameTheStatusOrTheFailureButNoClass() throws Exception {
        status = 404;
        assertThatThrownBy(() -> client(1000).fetch(CHAIN)).isInstanceOf(KdsUnavailableException.class)
                .hasMessageContaining("KDS answered 404");
        int closed;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var nobody = new HttpKdsClient(HttpClient.newHttpClient(), "http://127.0.0.1:" + closed, Duration.ofSeconds(
                30), 1000);
        assertThatThrownBy(() -> nobody.fetch(CHAIN)).isInstanceOf(KdsUnavailableException.class)
                .hasMessageStartingWith("KDS request failed for http://127.0.0.1:")
                .hasMessageNotContaining("Exception");
    }
}
