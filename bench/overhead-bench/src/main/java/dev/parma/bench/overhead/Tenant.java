package dev.parma.bench.overhead;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parma.contracts.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The harness as a tenant: container groups at the api-gateway's ARM API, with a bearer token. */
final class Tenant {

    static final String API = "?api-version=2025-09-01";
    private static final Set<String> DONE = Set.of("Succeeded", "Failed", "Stopped");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final String token;

    Tenant(String gateway, String token) {
        this.gateway = gateway;
        this.token = token;
    }

    String groupPath(String subscription, String resourceGroup, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.ContainerInstance/containerGroups/" + name;
    }

    /** PUT a group; waits out 429s as Retry-After says. */
    void put(String path, String body) throws IOException {
        while (true) {
            var resp = send(request(path).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)));
            if (resp.statusCode() == 429) {
                backOff(resp);
                continue;
            }
            if (resp.statusCode() != 200 && resp.statusCode() != 201) {
                throw new IOException("PUT " + path + " → " + resp.statusCode() + " " + resp.body());
            }
            return;
        }
    }

    /** The group as the tenant reads it, empty once it is gone. */
    Optional<JsonNode> get(String path) throws IOException {
        var resp = send(request(path).GET());
        if (resp.statusCode() == 404) {
            return Optional.empty();
        }
        if (resp.statusCode() != 200) {
            throw new IOException("GET " + path + " → " + resp.statusCode() + " " + resp.body());
        }
        return Optional.of(Json.mapper().readTree(resp.body()));
    }

    /** Polls until the group's instanceView says it finished (or its provisioning failed). */
    JsonNode awaitDone(String path, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode g = get(path).orElseThrow(() -> new IOException(path + " disappeared"));
            String state = g.at("/properties/instanceView/state").asText("");
            if (DONE.contains(state) || "Failed".equals(g.at("/properties/provisioningState").asText())) {
                return g;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(path + " not finished after " + timeout + ": " + g.at("/properties"));
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** DELETE, then wait until the group reads 404. */
    void delete(String path, Duration timeout) throws IOException {
        while (true) {
            var resp = send(request(path).DELETE());
            if (resp.statusCode() == 429) {
                backOff(resp);
                continue;
            }
            if (resp.statusCode() >= 300 && resp.statusCode() != 404) {
                throw new IOException("DELETE " + path + " → " + resp.statusCode() + " " + resp.body());
            }
            break;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get(path).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(path + " still there " + timeout + " after DELETE");
            }
            sleep(Duration.ofMillis(100));
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path + API)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void backOff(HttpResponse<String> resp) {
        long seconds = resp.headers().firstValue("Retry-After").map(Long::parseLong).orElse(5L);
        System.out.printf("  rate limited by the gateway; waiting %d s%n", seconds);
        sleep(Duration.ofSeconds(Math.max(1, seconds)));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
