package dev.parma.attestation;

import static dev.parma.attestation.Tokens.attest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Real evidence (Microsoft's documented request, a production ACI report) produces MAA's claims. */
@QuarkusTest
@AttestationTestResources
class AttestAnchorsTest {
    /** Claims the real token has that depend on time, identity or Microsoft's own policy. */
    static final Set<String> NOT_COMPARED = Set.of("iss", "iat", "nbf", "exp", "jti", "x-ms-policy-hash",
            "x-ms-compliance-status");

    @Test
    void maaDocumentedRequestGivesTheClaimsMaaIssued() throws Exception {
        String body = Requests.text("maa-docs-milan-v1/attest_request.reencoded.json");
        ObjectNode withNonce = (ObjectNode) Requests.JSON.readTree(body);
        withNonce.put("nonce", "noncesevsnp987");
        String token = Tokens.token(withNonce);

        JsonNode ours = Tokens.payload(token);
        JsonNode maa = Requests.JSON.readTree(Requests.resource("maa-docs-milan-v1/token.payload.json"));
        Set<String> compared = new TreeSet<>();
        for (Iterator<String> it = maa.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (NOT_COMPARED.contains(name)) {
                continue;
            }
            assertThat(ours.get(name)).as(name).isEqualTo(maa.get(name));
            compared.add(name);
        }
        assertThat(compared).hasSize(21); // 28 claims minus the 7 not compared
        Set<String> extra = new TreeSet<>();
        ours.fieldNames().forEachRemaining(extra::add);
        extra.removeAll(compared);
        extra.removeAll(NOT_COMPARED);
        assertThat(extra).as("claims MAA's token does not have").isEmpty();

        // the registered claims have MAA's shape
        assertThat(ours.get("iss").asText()).isEqualTo("http://127.0.0.1:8082");
        assertThat(ours.get("exp").asLong() - ours.get("iat").asLong()).isEqualTo(28800);
        assertThat(ours.get("nbf").asLong()).isEqualTo(ours.get("iat").asLong()).isEqualTo(TestBeans.NOW
                .getEpochSecond());
        assertThat(ours.get("jti").asText()).matches("[0-9a-f]{64}");
        assertThat(ours.get("x-ms-policy-hash").asText()).matches("[A-Za-z0-9_-]{43}");
        JsonNode header = Tokens.header(token);
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("typ").asText()).isEqualTo("JWT");
        assertThat(header.get("jku").asText()).isEqualTo("http://127.0.0.1:8082/certs");
        assertThat(header.get("kid").asText()).matches("[A-Za-z0-9+/]{43}=");
    }

    @Test
    void productionAciReportBindsRuntimeDataAndTheExecutionPolicy() throws Exception {
        byte[] runtime = Requests.resource("aci-milan-v2/runtime_data.json");
        byte[] policy = Base64.getDecoder().decode(Requests.text("aci-milan-v2/cce_policy.rego.base64").trim());
        ObjectNode body = Requests.body(Requests.resource("aci-milan-v2/report.bin"), Requests.text(
                "aci-milan-v2/vcek_ask_ark.pem"));
        Requests.withData(body, "runtimeData", runtime, "JSON");
        Requests.withData(body, "initTimeData", policy, "Binary");
        body.put("nonce", 1234567890123L); // the sidecar sends a uint64

        JsonNode claims = Tokens.payload(Tokens.token(body));
        assertThat(claims.get("x-ms-sevsnpvm-hostdata").asText()).isEqualTo(
                "cadd74f71ebb8fbf9782baab649612520f3c416bc5ce9ac768808ddc8d9b031c");
        assertThat(claims.get("x-ms-sevsnpvm-launchmeasurement").asText()).isEqualTo(
                "51068107cdc7ee3d89c7821b05bca6147eb77b2005ae759050fc049b65a1b0beabc65a9d857acecf23225f5ec76849f5");
        assertThat(claims.get("x-ms-sevsnpvm-reportdata").asText()).startsWith(
                "ee986ff2bd7e3f22e29f640918627816cf8e23b9d9c312767168eab68c861c71");
        assertThat(claims.get("x-ms-runtime").get("akey").asText()).isEqualTo("avalue");
        assertThat(claims.get("x-ms-sevsnpvm-guestsvn").asInt()).isEqualTo(2);
        assertThat(claims.get("x-ms-sevsnpvm-bootloader-svn").asInt()).isEqualTo(3);
        assertThat(claims.get("x-ms-sevsnpvm-snpfw-svn").asInt()).isEqualTo(8);
        assertThat(claims.get("x-ms-sevsnpvm-microcode-svn").asInt()).isEqualTo(115);
        assertThat(claims.get("x-ms-sevsnpvm-idkeydigest").asText()).isEqualTo(
                "d3ed82823f890b10087105c472e2957541ede92fda7bbb6bbf8660c411c78fec8128955bc6e0efbb24c0c4a781bfee59");
        assertThat(claims.get("nonce").asText()).isEqualTo("1234567890123");
        assertThat(claims.has("x-ms-inittime")).isFalse(); // Binary init data is bound, not echoed
        assertThat(claims.has("x-parma-sevsnpvm-simulated")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2020-10-01", "2022-08-01", "2025-06-01"})
    void servesMaaApiVersions(String apiVersion) {
        attest("/attest/SevSnpVm", apiVersion, Requests.text("maa-docs-milan-v1/attest_request.reencoded.json"))
                .statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2018-09-01-preview", "garbage"})
    void refusesOtherApiVersions(String apiVersion) {
        attest("/attest/SevSnpVm", apiVersion.isEmpty() ? null : apiVersion, Requests.text(
                "maa-docs-milan-v1/attest_request.reencoded.json")).statusCode(400).body("error.code", equalTo(
                        "InvalidApiVersionParameter"));
    }

    /** base64 and base64url, padded or not, in every encoded field. */
    @ParameterizedTest
    @ValueSource(strings = {"url-unpadded", "url-padded", "std-padded", "std-unpadded"})
    void acceptsEveryBase64Form(String form) {
        Base64.Encoder enc = switch (form) {
            case "url-unpadded" -> Base64.getUrlEncoder().withoutPadding();
            case "url-padded" -> Base64.getUrlEncoder();
            case "std-padded" -> Base64.getEncoder();
            default -> Base64.getEncoder().withoutPadding();
        };
        byte[] report = Requests.resource("maa-docs-milan-v1/report.bin");
        byte[] chain = Requests.resource("maa-docs-milan-v1/vcek_ask_ark.pem");
        byte[] runtime = Requests.resource("maa-docs-milan-v1/runtime_data.json");
        String envelope = "{\n  \"SnpReport\": \"" + enc.encodeToString(report) + "\",\n  \"VcekCertChain\": \""
                + enc.encodeToString(chain) + "\"\n}\n";
        ObjectNode body = Requests.JSON.createObjectNode();
        body.put("report", enc.encodeToString(envelope.getBytes(StandardCharsets.UTF_8)));
        body.putObject("runtimeData").put("data", enc.encodeToString(runtime)).put("dataType", "JSON");
        String token = Tokens.token(body);
        assertThat(Tokens.payload(token).get("x-ms-sevsnpvm-reportdata").asText()).isEqualTo(HexFormat.of()
                .formatHex(java.util.Arrays.copyOf(Requests.sha256(runtime), 64)));
    }
}
