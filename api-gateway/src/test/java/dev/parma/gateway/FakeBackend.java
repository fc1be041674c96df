package dev.parma.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in deployment service for the gateway's own tests: stores PUT bodies by path, answers GET with them
 * (provisioningState Succeeded), and records every request so tests can see exactly what the gateway sent.
 */
public class FakeBackend implements QuarkusTestResourceLifecycleManager {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> groups = new ConcurrentHashMap<>();
    static final List<String> requests = new CopyOnWriteArrayList<>();
    /** The body of the last exec request the gateway relayed. */
    static volatile String lastExecBody;
    /** When set, the attestation service's admin API answers 500. */
    static volatile boolean attestationDown;
    /** The Authorization header of the last call to the attestation service's admin API. */
    static volatile String lastAttestationAuthorization;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", FakeBackend::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.deployment.url", url, "quarkus.rest-client.attestation.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path);
        int status;
        String out;
        String key = path.toLowerCase();
        switch (method) {
            case "PUT" -> {
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

    /** The test profile that runs the gateway against this backend. */
    public static class Profile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeBackend.class));
        }
    }
}
