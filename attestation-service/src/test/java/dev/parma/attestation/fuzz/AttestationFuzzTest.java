package dev.parma.attestation.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.attestation.AttestationTestResources;
import dev.parma.attestation.RawHttp;
import dev.parma.attestation.Requests;
import dev.parma.attestation.TestIssuer;
import dev.parma.attestation.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's fuzz test, attestation half: a few hundred seeded requests (the same every run, a few seconds) over attest
 * bodies, attestation policies, key creation and release, path segments and headers. Whatever a caller sends, the
 * answer is never a 5xx; a 4xx is a CloudError with a code; no answer names a Java class or exceeds {@link #MAX_BODY}.
 */
@QuarkusTest
@AttestationTestResources
class AttestationFuzzTest {
    static final int MAX_BODY = 16 * 1024;
    static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jakarta|dev\\.parma|io\\.quarkus|io\\.vertx|io\\.netty|com\\.fasterxml|org\\.jboss)\\.[a-z]");
    static final String TENANT = "fuzz-tenant";
    static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    static byte[] validBody;
    static String validToken;

    final Random random = new Random(13);

    @BeforeEach
    void seeds() {
        if (validToken != null) {
            return;
        }
        var sim = Requests.sim(Requests.runtimeJson("{\"keys\":[]}"), "fuzz".getBytes(StandardCharsets.UTF_8));
        ObjectNode body = sim.body();
        validBody = body.toString().getBytes(StandardCharsets.UTF_8);
        validToken = Tokens.token(body);
    }

    @Test
    void attestBodies() {
        for (int i = 0; i < 120; i++) {
            byte[] body = switch (i % 6) {
                case 0 -> flip(validBody);
                case 1 -> concat(validBody, pick(TRAILERS).getBytes(StandardCharsets.UTF_8));
                case 2 -> java.util.Arrays.copyOf(validBody, random.nextInt(validBody.length));
                case 3 -> envelope(randomJson(3));
                case 4 -> replaceField(validBody, pick(List.of("report", "runtimeData", "initTimeData", "nonce",
                        "draftPolicyForAttestation")), randomJson(2));
                default -> randomJson(4).getBytes(StandardCharsets.UTF_8);
            };
            String path = random.nextBoolean() ? "/attest/SevSnpVm" : "/tenants/" + TENANT + "/attest/SevSnpVm";
            check("attest " + i, post(path + "?api-version=2022-08-01", json(), body));
        }
    }

    @Test
    void trailingBytesAfterTheJsonAreRefused() {
        for (String trailer : TRAILERS) {
            var answer = post("/attest/SevSnpVm?api-version=2022-08-01", json(), concat(validBody, trailer.getBytes(
                    StandardCharsets.UTF_8)));
            check("trailer " + trailer, answer);
            assertThat(answer.status()).as("trailer %s", trailer).isEqualTo(400);
            assertThat(answer.body()).contains("InvalidRequestContent");
        }
        assertThat(post("/attest/SevSnpVm?api-version=2022-08-01", json(), concat(validBody, " \r\n\t"
                .getBytes(StandardCharsets.UTF_8))).status()).as("whitespace is not trailing content").isEqualTo(200);
    }

    @Test
    void policies() {
        String owner = "Bearer " + TestIssuer.token(TENANT, "tenant-owner");
        for (int i = 0; i < 60; i++) {
            String policy = i % 3 == 0 ? flip(VALID_POLICY) : randomPolicy();
            var headers = new LinkedHashMap<>(Map.of("Authorization", owner, "Content-Type", "text/plain"));
            check("policy " + i, RawHttp.send(RestAssured.port, "PUT", "/tenants/" + TENANT
                    + "/policies/SevSnpVm?api-version=2022-08-01", headers, policy.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void keysAndReleases() {
        String owner = "Bearer " + TestIssuer.token(TENANT, "tenant-owner");
        for (int i = 0; i < 40; i++) {
            String body = "{\"release_policy\": " + (i % 2 == 0 ? randomJson(4) : randomReleasePolicy()) + "}";
            var headers = new LinkedHashMap<>(Map.of("Authorization", owner, "Content-Type", "application/json"));
            check("key " + i, RawHttp.send(RestAssured.port, "PUT", "/tenants/" + TENANT + "/keys/k" + (i % 3),
                    headers, body.getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 40; i++) {
            String target = switch (i % 4) {
                case 0 -> flip(validToken);
                case 1 -> validToken.substring(0, random.nextInt(validToken.length()));
                case 2 -> URL.encodeToString(randomJson(2).getBytes(StandardCharsets.UTF_8)) + "." + URL
                        .encodeToString(randomJson(2).getBytes(StandardCharsets.UTF_8)) + ".c2ln";
                default -> randomString(30);
            };
            String body = i % 5 == 0 ? randomJson(3) : "{\"target\": " + quote(target) + "}";
            check("release " + i, post("/tenants/" + TENANT + "/keys/k" + (i % 3) + "/release", json(), body
                    .getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void pathSegmentsAndQueries() {
        String owner = "Bearer " + TestIssuer.token(TENANT, "tenant-owner");
        for (int i = 0; i < 80; i++) {
            // what an HTTP client sends: the malformed escapes raw, anything else percent-encoded
            String segment = pick(SEGMENTS) + (random.nextBoolean()
                    ? java.net.URLEncoder.encode(randomString(random
                            .nextInt(8)), StandardCharsets.UTF_8)
                    : "");
            String target = switch (i % 8) {
                case 0 -> "/tenants/" + segment + "/attest/SevSnpVm?api-version=2022-08-01";
                case 1 -> "/tenants/" + segment + "/keys/k/release";
                case 2 -> "/tenants/" + TENANT + "/keys/" + segment;
                case 3 -> "/tenants/" + TENANT + "/policies/" + segment + "?api-version=2022-08-01";
                case 4 -> "/attest/SevSnpVm?api-version=" + segment;
                case 5 -> "/tenants/" + segment + "/.well-known/openid-configuration";
                case 6 -> "/" + segment;
                default -> "/admin/attestation-failures?top=" + segment;
            };
            String method = pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH"));
            var headers = new LinkedHashMap<String, String>();
            headers.put("Content-Type", "application/json");
            if (random.nextBoolean()) {
                headers.put("Authorization", owner);
            }
            byte[] body = method.equals("GET") || method.equals("DELETE") ? null : validBody;
            check(method + " " + target, RawHttp.send(RestAssured.port, method, target, headers, body));
        }
    }

    @Test
    void headers() {
        for (int i = 0; i < 40; i++) {
            var headers = new LinkedHashMap<String, String>();
            headers.put("Content-Type", pick(List.of("application/json", "text/plain", "application/xml", "*/*",
                    "application/json; charset=ebcdic", "multipart/form-data; boundary=x", printable(10))));
            if (random.nextBoolean()) {
                headers.put("Authorization", pick(List.of("Bearer ", "Bearer " + printable(40), "Basic "
                        + printable(8), "Bearer " + validToken,
                        "Bearer " + flip(TestIssuer.token(TENANT,
                                "tenant-owner")),
                        printable(20))));
            }
            if (random.nextBoolean()) {
                headers.put("Accept", pick(List.of("text/html", "application/xml", "*/*", printable(6))));
            }
            if (random.nextInt(4) == 0) {
                headers.put("Content-Encoding", pick(List.of("gzip", "deflate", "br")));
            }
            String target = pick(List.of("/attest/SevSnpVm?api-version=2022-08-01", "/tenants/" + TENANT
                    + "/policies/SevSnpVm?api-version=2022-08-01", "/tenants/" + TENANT + "/keys/k0",
                    "/referenceValues/uvm", "/admin/signing-keys/rotate"));
            String method = target.contains("/keys/k0") || target.contains("/policies/") ? "PUT" : "POST";
            check("headers " + headers + " " + target, RawHttp.send(RestAssured.port, method, target, headers,
                    validBody));
        }
    }

    @Test
    void oversizedAndStreamedBodies() {
        byte[] big = ("{\"report\":\"" + "A".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        check("declared too large", post("/attest/SevSnpVm?api-version=2022-08-01", json(), big));
        var chunked = RawHttp.sendChunked(RestAssured.port, "/attest/SevSnpVm?api-version=2022-08-01", json(),
                ("{\"report\":\"" + "A".repeat(1_200_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        check("streamed too large", chunked);
        assertThat(chunked.status()).isEqualTo(411);
        assertThat(chunked.body()).contains("LengthRequired");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        check("deep", post("/attest/SevSnpVm?api-version=2022-08-01", json(), deep.getBytes(StandardCharsets.UTF_8)));
        check("deep policy", post("/tenants/" + TENANT + "/keys/k0/release", json(), ("{\"target\":" + deep + "}")
                .getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A request target that is not a valid URI (a '%' not followed by two hex digits) is refused by Quarkus's HTTP
     * layer before any application code runs, with a bare 400 (no body to check): never a 5xx, never accepted.
     */
    @Test
    void malformedEscapesInTheUriAreRefused() {
        for (String bad : List.of("%", "%zz", "%uFFFF", "%f%E2", "a%2")) {
            for (String target : List.of("/tenants/" + bad + "/attest/SevSnpVm?api-version=2022-08-01",
                    "/attest/SevSnpVm?api-version=" + bad)) {
                var answer = post(target, json(), validBody);
                assertThat(answer.status()).as(target).isEqualTo(400);
                assertThat(CLASS_NAME.matcher(answer.body()).find()).isFalse();
            }
        }
    }

    // ---- the assertions

    static void check(String what, RawHttp.Answer a) {
        assertThat(a.status()).as("%s answered %s", what, a.body()).isLessThan(500);
        assertThat(a.body().length()).as("%s body length", what).isLessThanOrEqualTo(MAX_BODY);
        assertThat(CLASS_NAME.matcher(a.body()).find()).as("%s names a Java class: %s", what, a.body()).isFalse();
        if (a.status() >= 400) {
            JsonNode error;
            try {
                error = Requests.JSON.readTree(a.body()).path("error");
            } catch (java.io.IOException e) {
                throw new AssertionError(what + " answered " + a.status() + " without a CloudError: '" + a.body()
                        + "'");
            }
            assertThat(error.path("code").asText())
                    .as("%s: CloudError code in %s %s %s", what, a.status(), a.headers(), a.body()).isNotBlank();
            assertThat(error.path("message").isTextual()).as("%s: message in %s", what, a.body()).isTrue();
        }
    }

    // ---- the generators

    static final List<String> TRAILERS = List.of("x", "{}", "{\"report\":\"\"}", "]", "\u0000", "garbage", "1");
    static final List<String> SEGMENTS = List.of("%00", "%2e%2e", "..", "%2F", "a%2Fb", "%C0%AF",
            "%E2%80%AE", "x;y=z", "*", "a+b", "%C3%A9", "~", "A".repeat(300), "ok", "ok-1", "-",
            "%25%32%65", "?", "#frag", "%0d%0aX-Injected:%201");
    static final String VALID_POLICY = "version=1.0; authorizationrules { c:[type==\"x-ms-attestation-type\"]"
            + " => permit(); }; issuancerules { c:[type==\"x-ms-sevsnpvm-hostdata\"] => issue(type=\"hd\","
            + " value=c.value); };";
    static final List<String> POLICY_TOKENS = List.of("version", "=", "1.0", ";", "authorizationrules",
            "issuancerules", "{", "}", "[", "]", "(", ")", "=>", "permit()", "deny()", "c:", "type", "==",
            "\"x-ms-compliance-status\"", "\"custom\"", "issue", "value", "c.value", "&&", ",", "\"\\u0000\"",
            "\"\\uZZZZ\"", "/*", "*/", "//", "\n", "true", "99999999999999999999999", "-1", "\"" + "y".repeat(500)
                    + "\"");

    String randomPolicy() {
        var sb = new StringBuilder();
        int n = random.nextInt(60);
        for (int i = 0; i < n; i++) {
            sb.append(pick(POLICY_TOKENS)).append(random.nextInt(3) == 0 ? "" : " ");
        }
        return sb.toString();
    }

    String randomReleasePolicy() {
        String claim = pick(List.of("x-ms-attestation-type", "x-ms-sevsnpvm-hostdata", "", "a.b.c.d", "x".repeat(
                300), "\\ud800"));
        String authority = pick(List.of("http://127.0.0.1:8082", "http://127.0.0.1:8082/tenants/" + TENANT, "",
                "http://127.0.0.1:8082/tenants/other", randomString(20)));
        String op = pick(List.of("equals", "equalz", "greater", "allOf"));
        return "{\"version\":\"1.0.0\",\"anyOf\":[{\"authority\":" + quote(authority) + ",\"allOf\":[{\"claim\":"
                + quote(claim) + ",\"" + op + "\":" + randomJson(2) + "}]}]}";
    }

    String randomJson(int depth) {
        int kind = random.nextInt(depth <= 0 ? 6 : 9);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> String.valueOf(random.nextBoolean());
            case 2 -> pick(List.of("0", "-1", "1e999", "3.5", "18446744073709551616", "-0", "1e-999"));
            case 3 -> quote(randomString(random.nextInt(20)));
            case 4 -> pick(List.of("\"\\uZZZZ\"", "\"\\ud800\"", "\"\\x41\"", "\"unterminated", "'single'", "NaN",
                    "{", "[", "}", ",", "\"\\u0000\""));
            case 5 -> quote(URL.encodeToString(randomString(random.nextInt(40)).getBytes(StandardCharsets.UTF_8)));
            case 6 -> {
                var sb = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    sb.append(randomJson(depth - 1)).append(i > 1 ? "," : "");
                }
                yield sb.append("]").toString();
            }
            default -> {
                var sb = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    sb.append(quote(pick(List.of("report", "SnpReport", "VcekCertChain", "Endorsements", "Uvm",
                            "data", "dataType", "nonce", "anyOf", "allOf", "claim", "equals", "authority", "target",
                            randomString(5))))).append(":").append(randomJson(depth - 1)).append(i > 1 ? "," : "");
                }
                yield sb.append("}").toString();
            }
        };
    }

    String randomString(int n) {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = switch (random.nextInt(4)) {
                case 0 -> 'a' + random.nextInt(26);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> random.nextInt(0x20);
                default -> 0x80 + random.nextInt(0x3000);
            };
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Header values as HTTP allows them (visible ASCII and spaces): anything else never reaches the service. */
    String printable(int n) {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return sb.toString();
    }

    byte[] envelope(String inner) {
        return ("{\"report\":\"" + URL.encodeToString(inner.getBytes(StandardCharsets.UTF_8)) + "\"}").getBytes(
                StandardCharsets.UTF_8);
    }

    byte[] replaceField(byte[] body, String field, String value) {
        try {
            ObjectNode node = (ObjectNode) Requests.JSON.readTree(body);
            node.remove(field);
            String s = node.toString();
            return (s.substring(0, s.length() - 1) + ",\"" + field + "\":" + value + "}").getBytes(
                    StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    byte[] flip(byte[] data) {
        byte[] out = data.clone();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    String flip(String s) {
        char[] c = s.toCharArray();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            c[random.nextInt(c.length)] = (char) (0x20 + random.nextInt(0x5f));
        }
        return new String(c);
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    static String quote(String s) {
        try {
            return Requests.JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Map<String, String> json() {
        return Map.of("Content-Type", "application/json");
    }

    static RawHttp.Answer post(String target, Map<String, String> headers, byte[] body) {
        return RawHttp.send(RestAssured.port, "POST", target, headers, body);
    }
}
