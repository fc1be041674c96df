package dev.parma.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP as the e2e tests send it: a tenant's token for the gateway; the operator's client certificate for the internal
 * APIs (the deployment service and node agents accept nothing else); JSON answers.
 */
final class E2eHttp {

    static final HttpClient HTTP = ServiceProcess.OPERATOR;

    private E2eHttp() {
    }

    static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(E2eAuth.authorize(request).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    /** {@code base} plus the given key/value pairs (environment for a service process). */
    static Map<String, String> with(Map<String, String> base, String... kv) {
        var m = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
