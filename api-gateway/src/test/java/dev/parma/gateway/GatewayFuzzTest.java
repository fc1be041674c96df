package dev.parma.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a seeded, bounded fuzz over what a tenant controls — paths (odd segments, escapes, long and non-ASCII
 * names), query strings, headers, bodies and templates — sent byte for byte. Whatever comes in: no 5xx, every 4xx a
 * CloudError with a code, no Java type names, no answer over {@value #MAX_BODY} bytes. A failure prints the seed
 * and the request, so it can be replayed.
 */
@QuarkusTest
@GatewayTestDatabase
@TestProfile(FakeBackend.Profile.class)
class GatewayFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long SEED = Long.getLong("parma.fuzz.seed", 13L);
    static final int REQUESTS = 400;
    static final int MAX_BODY = 16 * 1024;
    static final Pattern JAVA_NAME = Pattern
            .compile("\\b(java|javax|jakarta|dev\\.parma|io\\.quarkus|io\\.vertx|com\\.fasterxml)\\.[a-z]");

    static final String[] ROUTES = {"/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerInstance"
            + "/containerGroups/{n}",
            "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerInstance"
                    + "/containerGroups/{n}/containers/{c}/logs",
            "/subscriptions/{s}/resourceGroups/{rg}/providers"
                    + "/Microsoft.ContainerInstance/containerGroups/{n}/containers/{c}/exec",
            "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups/{n}/{a}",
            "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups",
            "/subscriptions/{s}/providers/Microsoft.ContainerInstance/containerGroups",
            "/subscriptions/{s}/providers/Microsoft.ContainerInstance/locations/{l}/usages",
            "/subscriptions/{s}/providers/Microsoft.ContainerInstance/locations/{l}/operations/{o}",
            "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Resources/deployments/{n}",
            "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Resources/deployments/{n}/validate",
            "/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Resources/deployments/{n}"
                    + "/operationStatuses/{o}",
            "/providers/Parma.Operations/overview", "/providers/Parma.Operations/nodes", "/q/health", "/q/metrics",
            "/q/openapi", "/sre/", "/{n}"};
    static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    /** Names a tenant might write, from ordinary to hostile. */
    static final String[] ODD = {"app", "APP", "a-b", "s1", "s2", "rg", "westeurope", "West%20Europe", "mars", "..",
            ".", "%2e%2e", "%2E", "%2F", "a%2Fb", "%252F", "%00", "a%00b", "%zz", "%", "%4", "%C3%A9", "%E2%80%AE",
            "%FF%FE", "a;b", "a:b", "a@b", "~x", "a+b", "-a", "a-", "_", "()", "a.", "%20", "%09", "x".repeat(64),
            "y".repeat(91), "z".repeat(300), "%5C", "a%5C..%5Cb", "{n}", "$", "*", "'", "%22", "%3Cscript%3E",
            "start", "stop", "restart", "0", "-1", "99999999999999999999", "AA", "cmcvL2FwcA"};
    static final String[] VERSIONS = {"2025-09-01", "2024-03-01", "2023-05-01", "", "x", "2025-09-01%00",
            "9999-99-99", "2025-09-01&api-version=2024-03-01"};
    static final String[] QUERY_EXTRAS = {"", "&$skipToken=AA", "&$skipToken=%00", "&$skipToken=cmcvYXBw",
            "&$skipToken=" + "A".repeat(600), "&tail=10", "&tail=-1", "&tail=x", "&tail=99999999999", "&timestamps=yes",
            "&%zz", "&a=%", "&=", "&&&", "&x=" + "q".repeat(3000), "&$filter=name%20eq%20'a'", "&api-version"};
    static final String[] CONTENT_TYPES = {"application/json", "text/plain", "application/xml", "", "*/*",
            "application/json; charset=latin1", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"};

    final Random random = new Random(SEED);
    final List<String> templates = new ArrayList<>();

    @Test
    void noInputYieldsA5xxAJavaNameAnUncodedErrorOrAHugeAnswer() throws Exception {
        for (String name : new String[]{"confidential-container-demos_hello-world-aci.json",
                "confcom_sample_template_output_arm_template.json"}) {
            try (InputStream in = getClass().getResourceAsStream("/templates/" + name)) {
                templates.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String method = pick(METHODS);
            String target = path() + query();
            Map<String, String> headers = headers();
            String body = method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
                    ? (random.nextInt(8) == 0 ? body() : null)
                    : body();
            String request = "#" + i + " " + method + " " + target + " " + headers.keySet() + " "
                    + (body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body);
            RawHttp.Answer answer;
            try {
                answer = RawHttp.send(RestAssured.port, method, target, headers, body);
            } catch (java.io.IOException e) {
                failures.add(request + " → no answer: " + e.getMessage());
                continue;
            }
            String problem = problem(method, answer);
            if (problem != null) {
                failures.add(request + " → " + answer.status() + " " + problem + ": "
                        + answer.body().substring(0, Math.min(400, answer.body().length())));
            }
        }
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    /** What is wrong with {@code answer}, or null. */
    static String problem(String method, RawHttp.Answer answer) {
        if (answer.status() >= 500) {
            return "a server error";
        }
        if (answer.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY) {
            return "an answer over " + MAX_BODY + " bytes";
        }
        if (JAVA_NAME.matcher(answer.body()).find()) {
            return "a Java type name";
        }
        if (answer.status() >= 400 && !method.equals("HEAD")) {
            try {
                JsonNode code = JSON.readTree(answer.body()).at("/error/code");
                if (!code.isTextual() || code.asText().isBlank()) {
                    return "an error without a CloudError code";
                }
            } catch (Exception e) {
                return "an error that is not JSON";
            }
        }
        return null;
    }

    String path() {
        String route = pick(ROUTES);
        var out = new StringBuilder();
        int i = 0;
        while (i < route.length()) {
            int open = route.indexOf('{', i);
            if (open < 0) {
                out.append(route, i, route.length());
                break;
            }
            out.append(route, i, open);
            int close = route.indexOf('}', open);
            String slot = route.substring(open + 1, close);
            out.append(switch (random.nextInt(4)) {
                case 0, 1 -> plain(slot);
                default -> pick(ODD);
            });
            i = close + 1;
        }
        String path = out.toString();
        return switch (random.nextInt(12)) {
            case 0 -> path.replace("/resourceGroups/", "/resourcegroups/");
            case 1 -> path + "/";
            case 2 -> path.replaceFirst("/", "//");
            case 3 -> path + "/" + pick(ODD);
            case 4 -> path.replace("/providers/", "/providers/" + pick(ODD) + "/../");
            default -> path;
        };
    }

    String plain(String slot) {
        return switch (slot) {
            case "s" -> random.nextBoolean() ? "s1" : "s2";
            case "l" -> random.nextBoolean() ? "westeurope" : "eastus";
            case "a" -> pick(new String[]{"start", "stop", "restart"});
            case "c" -> "c";
            case "o" -> "00000000-0000-0000-0000-000000000000";
            default -> "f" + random.nextInt(5);
        };
    }

    String query() {
        if (random.nextInt(6) == 0) {
            String extra = pick(QUERY_EXTRAS);
            return extra.isEmpty() ? "" : "?" + extra.substring(1);
        }
        return "?api-version=" + pick(VERSIONS) + pick(QUERY_EXTRAS);
    }

    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        switch (random.nextInt(10)) {
            case 0 -> {
                // none
            }
            case 1 -> h.put("Authorization", pick(new String[]{"Bearer", "Bearer x.y.z", "Basic YTpi", "Bearer "
                    + "a".repeat(5000)}));
            case 2 -> h.put("Authorization", Tokens.bearer("tenant-b", "tenant-owner"));
            case 3 -> h.put("Authorization", Tokens.bearer("tenant-a", "tenant-reader"));
            default -> h.put("Authorization", Tokens.owner());
        }
        h.put("Content-Type", pick(CONTENT_TYPES));
        if (random.nextInt(4) == 0) {
            h.put("Accept", pick(new String[]{"text/html", "application/xml", "*/*", "application/json;q=0"}));
        }
        if (random.nextInt(6) == 0) {
            h.put(pick(new String[]{"X-Forwarded-Host", "Forwarded", "X-Ms-Client-Request-Id", "If-Match",
                    "Accept-Language", "Content-Encoding"}), pick(
                            new String[]{"gzip", "evil.example", "\"*\"",
                                    "for=1.2.3.4;host=x", "x".repeat(2000), "é"}));
        }
        return h;
    }

    String body() {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[]";
            case 3 -> "null";
            case 4 -> "{\"location\": " + pick(new String[]{"\"westeurope\"", "\"West Europe\"", "\"mars\"", "1",
                    "[]", "{}", "null", "\"" + "l".repeat(70) + "\""}) + ", \"properties\": "
                    + pick(new String[]{"{}", "[]", "1", "{\"containers\": [{\"name\": 1}]}", "{\"containers\": {}}"})
                    + "}";
            case 5 -> "{\"command\": " + pick(new String[]{"\"sh\"", "[]", "1", "{\"a\": [1]}"})
                    + ", \"terminalSize\": " + pick(new String[]{"{\"rows\": 1, \"cols\": 1}", "[]", "\"x\"",
                            "{\"rows\": 99999999999}"})
                    + "}";
            case 6 -> "[".repeat(200) + "]".repeat(200);
            default -> deployment();
        };
    }

    /** A deployment request around a real template with one value replaced by something odd. */
    String deployment() {
        String template = pick(templates.toArray(String[]::new));
        String[] values = {"\"[concat('a', '/../../b')]\"", "\"x/../y\"", "\"[parameters('nope')]\"", "1", "[]",
                "{}", "null", "\"[" + "concat(".repeat(50) + "'x'" + ")".repeat(50) + "]\"",
                "\"[replace('ab', '', 'cccc')]\"", "\"[json('{')]\"", "\"[base64ToString('!!')]\"",
                "\"[int('x')]\"", "\"[div(1, 0)]\"", "\"[resourceId('s2', 'rg', "
                        + "'Microsoft.ContainerInstance/containerGroups', 'app')]\"",
                "\"" + "n".repeat(2000) + "\"", "\"West Europe\"", "\"mars\""};
        var matcher = Pattern.compile("\"(name|location|type|apiVersion|image|value|defaultValue)\"\\s*:\\s*"
                + "(\"[^\"]*\"|\\d+)").matcher(template);
        List<int[]> spots = new ArrayList<>();
        while (matcher.find()) {
            spots.add(new int[]{matcher.start(2), matcher.end(2)});
        }
        if (!spots.isEmpty()) {
            int[] at = spots.get(random.nextInt(spots.size()));
            template = template.substring(0, at[0]) + pick(values) + template.substring(at[1]);
        }
        return "{\"properties\": {\"mode\": \"" + pick(new String[]{"Incremental", "Complete", "x"})
                + "\", \"parameters\": {}, \"template\": " + template + "}}";
    }

    String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
