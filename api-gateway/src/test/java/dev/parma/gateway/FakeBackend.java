package dev.parma.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.parma.identity.Principal;
import dev.parma.identity.Tls;
import dev.parma.testsupport.TestPki;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import javax.naming.ldap.LdapName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in deployment service for the gateway's own tests: stores PUT bodies by path, answers GET with them
 * (provisioningState Succeeded), and records every request so tests can see exactly what the gateway sent. Like the
 * real one it speaks mutual TLS only: it presents deployment-service's certificate from the test PKI, requires a
 * client certificate from the platform CA, and answers 403 to any caller but api-gateway.
 */
public class FakeBackend implements QuarkusTestResourceLifecycleManager {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> groups = new ConcurrentHashMap<>();
    static final List<String> requests = new CopyOnWriteArrayList<>();
    /** Every request as it came over the wire: method and raw (undecoded, unnormalized) path. */
    static final List<String> rawRequests = new CopyOnWriteArrayList<>();
    /** The body of the last exec request the gateway relayed. */
    static volatile String lastExecBody;
    /** When set, the attestation service's admin API answers 500. */
    static volatile boolean attestationDown;
    /** The Authorization header of the last call to the attestation service's admin API. */
    static volatile String lastAttestationAuthorization;
    /**
     * Failures to answer before the normal answer, by "METHOD path": a status (503, 502…) or {@link #DROP} to close the
     * connection without an answer; each request consumes one.
     */
    static final Map<String, java.util.Deque<Integer>> failures = new ConcurrentHashMap<>();
    static final int DROP = 0;
    /** Retry-After the scripted failures carry, when set. */
    static volatile String failureRetryAfter;
    /** The certificate common name of every caller, in order. */
    static final List<String> callers = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            var https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            SSLContext tls = Tls.context(TestPki.identity(Principal.fromCommonName("deployment-service")));
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    var p = tls.getDefaultSSLParameters();
                    p.setNeedClientAuth(true);
                    params.setSSLParameters(p);
                }
            });
            server = https;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", FakeBackend::handle);
        server.start();
        String url = "https://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.deployment.url", url, "quarkus.rest-client.attestation.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void handle(HttpExchange ex) throws IOException {
        String caller = caller(ex);
        callers.add(caller);
        if (!caller.equals("api-gateway")) {
            byte[] refused = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"not the gateway\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(403, refused.length);
            ex.getResponseBody().write(refused);
            ex.close();
            return;
        }
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path);
        rawRequests.add(method + " " + ex.getRequestURI().getRawPath());
        var scripted = failures.get(method + " " + path);
        Integer failure = scripted == null ? null : scripted.poll();
        if (failure != null) {
            fail(ex, failure);
            return;
        }
        int status;
        String out;
        String key = path.toLowerCase();
        switch (method) {
            case "PUT" -> {
                if (path.endsWith("/leak-types")) {
                    // what a framework's binding error says when it is passed on unfiltered
                    status = 400;
                    out = "{\"error\":{\"code\":\"InvalidRequestContent\",\"message\":\"Cannot deserialize value of"
                            + " type `java.util.ArrayList<dev.parma.contracts.Container>` from Object value\"}}";
                    break;
                }
                if (path.endsWith("/refuse-me")) {
                    status = 400;
                    out = "{\"error\":{\"code\":\"InvalidContainerName\",\"message\":\"refused\",\"target\":\"properties.containers[0].name\"}}";
                    break;
                }
                ObjectNode g = (ObjectNode) JSON.readTree(body);
                ObjectNode props = g.with("properties");
                props.put("provisioningState", "Succeeded");
                props.with("ipAddress").put("ip", "10.0.0.7");
                g.put("id", path);
                status = groups.put(key, g.toString()) == null ? 201 : 200;
                out = g.toString();
                ex.getResponseHeaders().add("Azure-AsyncOperation", "http://x/op");
                ex.getResponseHeaders().add("Location", "http://x/op");
                ex.getResponseHeaders().add("Retry-After", "1");
            }
            case "PATCH" -> {
                String existing = groups.get(key);
                status = existing == null ? 404 : 200;
                out = existing == null ? "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"no\"}}" : existing;
            }
            case "DELETE" -> {
                status = groups.remove(key) == null ? 204 : 202;
                out = null;
            }
            default -> {
                if (method.equals("POST") && path.endsWith("/exec")) {
                    lastExecBody = body;
                    status = 200;
                    out = "{\"webSocketUri\":\"ws://node-1:8091/exec/s1\",\"password\":\"pw\"}";
                } else if (path.equals("/admin/nodes")) {
                    status = 200;
                    out = "{\"value\":[{\"id\":\"node-1\",\"snp\":true}]}";
                } else if (path.equals("/admin/overview")) {
                    status = 200;
                    out = "{\"nodes\":[{\"id\":\"node-1\",\"snp\":true}],\"groups\":[{\"phase\":\"Failed\","
                            + "\"sku\":\"Confidential\",\"count\":2}],\"denials\":[],\"overhead\":{\"answered\":[],"
                            + "\"unavailable\":[\"node-1\"],\"workloads\":[]},\"query\":\""
                            + ex.getRequestURI().getQuery() + "\"}";
                } else if (path.equals("/admin/attestation-failures")) {
                    // the attestation service checks the caller's role on the token the gateway passes along
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    lastAttestationAuthorization = auth;
                    status = attestationDown ? 500 : 200;
                    out = attestationDown
                            ? "{\"error\":{\"code\":\"InternalError\",\"message\":\"down\"}}"
                            : "{\"value\":[{\"code\":\"InvalidSnpReport\",\"status\":400,\"caller\":\"10.0.0.9\"}]}";
                } else if (path.endsWith("/containerGroups")) {
                    status = 200;
                    out = "{\"value\":[]}";
                } else if (path.endsWith("/usages")) {
                    status = 200;
                    out = "{\"value\":[]}";
                } else {
                    String g = groups.get(key);
                    status = g == null ? 404 : 200;
                    out = g == null ? "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"not found\"}}" : g;
                }
            }
        }
        if (out == null) {
            ex.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static void fail(HttpExchange ex, int status) throws IOException {
        if (status == DROP) {
            // what a backend killed mid-request looks like: the connection closes with no answer
            ex.close();
            return;
        }
        if (failureRetryAfter != null) {
            ex.getResponseHeaders().add("Retry-After", failureRetryAfter);
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    /** The common name of the client certificate (the handshake has already checked it against the CA). */
    private static String caller(HttpExchange ex) {
        try {
            var leaf = (X509Certificate) ((HttpsExchange) ex).getSSLSession().getPeerCertificates()[0];
            return new LdapName(leaf.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString()).findFirst()
                    .orElse("");
        } catch (SSLPeerUnverifiedException | javax.naming.InvalidNameException e) {
            return "";
        }
    }

    /** The test profile that runs the gateway against this backend. */
    public static class Profile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeBackend.class));
        }
    }
}
