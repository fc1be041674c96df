package dev.parma.deployment.node;

import dev.parma.identity.IdentityDir;
import dev.parma.identity.PlatformTrust;
import dev.parma.identity.Principal;
import dev.parma.identity.Tls;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one way the control plane calls a node agent: HTTPS to the endpoint the node announced, as the deployment
 * service (mutual TLS, platform CA only), with every path segment percent-encoded, and an answer counted only if the
 * peer's certificate names that very node — an endpoint announced for node A but served by node B is refused.
 */
@ApplicationScoped
public class NodeClient {

    private final HttpClient http;

    NodeClient(@ConfigProperty(name = "parma.identity.dir") String identityDir) {
        this.http = HttpClient.newBuilder().sslContext(Tls.context(new IdentityDir(Path.of(identityDir))))
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** {@code node}'s URL for {@code segments} (each encoded) and an optional query built from typed values. */
    public static URI uri(NodeEntity node, String query, String... segments) throws IOException {
        if (node.endpoint == null || !node.endpoint.startsWith("https://")) {
            throw new IOException("node " + node.id + " announced no https endpoint");
        }
        var path = new StringBuilder(node.endpoint.replaceAll("/+$", ""));
        for (String s : segments) {
            path.append('/').append(encodeSegment(s));
        }
        if (query != null) {
            path.append('?').append(query);
        }
        try {
            return URI.create(path.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException("node " + node.id + " announced an unusable endpoint");
        }
    }

    public HttpResponse<String> send(NodeEntity node, HttpRequest request) throws IOException, InterruptedException {
        return checked(node, http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    public CompletableFuture<HttpResponse<String>> sendAsync(NodeEntity node, HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return checked(node, r);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /**
     * Whether the node answers a direct call (its readiness endpoint, over mutual TLS, from that very node): any
     * answer, ready or not, means the node is there. Completes false on no answer within {@code timeout}.
     */
    public CompletableFuture<Boolean> probe(NodeEntity node, Duration timeout) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri(node, null, "q", "health", "ready")).timeout(timeout).GET().build();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(false);
        }
        return sendAsync(node, request).handle((r, e) -> e == null);
    }

    private static HttpResponse<String> checked(NodeEntity node, HttpResponse<String> response) throws IOException {
        var expected = Principal.node(node.id);
        var session = response.sslSession().orElseThrow(() -> new IOException("no TLS session with " + node.id));
        try {
            var peer = PlatformTrust.peer(session.getPeerCertificates());
            if (peer.isEmpty() || !peer.get().equals(expected)) {
                throw new IOException("the endpoint announced for node " + node.id + " is served by "
                        + peer.map(Principal::commonName).orElse("no platform principal"));
            }
        } catch (SSLPeerUnverifiedException e) {
            throw new IOException("node " + node.id + " is not verified");
        }
        return response;
    }

    /** RFC 3986 path segment: unreserved characters stay, everything else is percent-encoded (UTF-8). */
    static String encodeSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("not a path segment: '" + segment + "'");
        }
        var out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
