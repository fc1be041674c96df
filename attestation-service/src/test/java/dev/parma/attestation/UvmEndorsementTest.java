package dev.parma.attestation;

import static dev.parma.attestation.Tokens.attest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.snp.sim.UvmPublisher;
import dev.parma.snp.testkit.TestAuthorities;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UVM endorsements in MAA's {@code Endorsements.Uvm}: a COSE_Sign1 by a trusted signer that endorses the report's
 * MEASUREMENT makes the guest compliant (Microsoft's real one for the production ACI report, the simulated
 * publisher's for simulator evidence); every way of being invalid is refused with its own code.
 */
@QuarkusTest
@AttestationTestResources
class UvmEndorsementTest {
    static final byte[] RUNTIME = Requests.runtimeJson("{\"keys\":[],\"purpose\":\"endorsement-test\"}");
    static final byte[] POLICY = "package policy\ndefault allow := true\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] ACI_ENDORSEMENT = Requests.resource("aci-milan-v2/uvm_reference_info.cose_sign1.bin");
    static final String COMPLIANCE = "x-ms-compliance-status";

    /** MAA's envelope: Endorsements = base64url(JSON {"Uvm": [base64url(COSE_Sign1)]}), as ACI's sidecar sends. */
    static ObjectNode withEndorsements(ObjectNode body, List<byte[]> uvm) {
        var url = Base64.getUrlEncoder();
        try {
            ObjectNode envelope = (ObjectNode) Requests.JSON.readTree(Base64.getUrlDecoder().decode(body.get("report")
                    .asText()));
            ObjectNode endorsements = Requests.JSON.createObjectNode();
            var array = endorsements.putArray("Uvm");
            uvm.forEach(u -> array.add(url.encodeToString(u)));
            envelope.put("Endorsements", url.encodeToString(endorsements.toString().getBytes(
                    StandardCharsets.UTF_8)));
            body.put("report", url.encodeToString(envelope.toString().getBytes(StandardCharsets.UTF_8)));
            return body;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode aci() {
        byte[] runtime = Requests.resource("aci-milan-v2/runtime_data.json");
        ObjectNode body = Requests.body(Requests.resource("aci-milan-v2/report.bin"), Requests.text(
                "aci-milan-v2/vcek_ask_ark.pem"));
        return Requests.withData(body, "runtimeData", runtime, "JSON");
    }

    @Test
    void microsoftsEndorsementMakesTheProductionAciReportCompliant() {
        assertThat(Tokens.payload(Tokens.token(aci())).has(COMPLIANCE)).as("without the endorsement").isFalse();
        JsonNode claims = Tokens.payload(Tokens.token(withEndorsements(aci(), List.of(ACI_ENDORSEMENT))));
        assertThat(claims.get(COMPLIANCE).asText()).isEqualTo("azure-compliant-uvm");
    }

    @Test
    void theSimulatedPublishersEndorsementMakesSimulatorEvidenceCompliant() {
        var sim = Requests.sim(RUNTIME, POLICY);
        assertThat(Tokens.payload(Tokens.token(sim.body())).has(COMPLIANCE)).as("an unknown measurement").isFalse();
        byte[] cose = TestAuthorities.uvmPublisher().endorse(sim.measurement(), 3, TestBeans.NOW.minusSeconds(60));
        JsonNode claims = Tokens.payload(Tokens.token(withEndorsements(sim.body(), List.of(cose))));
        assertThat(claims.get(COMPLIANCE).asText()).isEqualTo("azure-compliant-uvm");
        assertThat(claims.get("x-parma-sevsnpvm-simulated").asBoolean()).isTrue();
    }

    @Test
    void anEndorsementOfAnotherMeasurementIsRefused() {
        var sim = Requests.sim(RUNTIME, POLICY);
        attest(withEndorsements(sim.body(), List.of(ACI_ENDORSEMENT))).statusCode(400)
                .body("error.code", equalTo("UvmEndorsementMeasurementMismatch"))
                .body("error.target", equalTo("report.Endorsements.Uvm[0]"))
                .body("error.message", containsString("51068107cdc7ee3d"));
    }

    @Test
    void anEndorsementFromAnUntrustedSignerIsRefused() {
        var sim = Requests.sim(RUNTIME, POLICY);
        UvmPublisher stranger = UvmPublisher.generate(TestAuthorities.NOT_BEFORE, new SecureRandom());
        attest(withEndorsements(sim.body(), List.of(stranger.endorse(sim.measurement(), 3, TestBeans.NOW))))
                .statusCode(400).body("error.code", equalTo("UntrustedUvmEndorsement"));
    }

    @Test
    void aTamperedEndorsementIsRefused() {
        byte[] tampered = ACI_ENDORSEMENT.clone();
        tampered[tampered.length - 5] ^= 1; // inside the signature
        attest(withEndorsements(aci(), List.of(tampered))).statusCode(400).body("error.code", equalTo(
                "InvalidUvmEndorsementSignature"));
    }

    @Test
    void anEndorsementSignedOutsideItsCertificatesValidityIsRefused() {
        var sim = Requests.sim(RUNTIME, POLICY);
        byte[] early = TestAuthorities.uvmPublisher().endorse(sim.measurement(), 3, TestAuthorities.NOT_BEFORE
                .minusSeconds(86400));
        attest(withEndorsements(sim.body(), List.of(early))).statusCode(400).body("error.code", equalTo(
                "UvmEndorsementCertificateNotValid"));
    }

    @Test
    void somethingThatIsNotACoseSign1IsRefused() {
        var sim = Requests.sim(RUNTIME, POLICY);
        attest(withEndorsements(sim.body(), List.of("not cbor".getBytes(StandardCharsets.UTF_8)))).statusCode(400)
                .body("error.code", equalTo("InvalidUvmEndorsement"));
        attest(withEndorsements(sim.body(), List.of(new byte[]{(byte) 0xd2, (byte) 0x80}))).statusCode(400)
                .body("error.code", equalTo("InvalidUvmEndorsement"))
                .body("error.message", containsString("array of 4"));
    }

    @Test
    void everyEndorsementMustHoldNotJustOne() {
        var sim = Requests.sim(RUNTIME, POLICY);
        byte[] good = TestAuthorities.uvmPublisher().endorse(sim.measurement(), 3, Instant.parse(
                "2026-01-01T00:00:00Z"));
        attest(withEndorsements(sim.body(), List.of(good, ACI_ENDORSEMENT))).statusCode(400)
                .body("error.code", equalTo("UvmEndorsementMeasurementMismatch"))
                .body("error.target", equalTo("report.Endorsements.Uvm[1]"));
    }

    @Test
    void aMalformedEndorsementsEnvelopeIsABadRequestNamingTheField() throws Exception {
        var sim = Requests.sim(RUNTIME, POLICY);
        for (var c : List.of(new String[]{"\"%%%\"", "report.Endorsements"}, new String[]{"{\"Uvm\": [42]}",
                "report.Endorsements.Uvm[0]"},
                new String[]{"{\"Uvm\": [\"a\",\"a\",\"a\",\"a\",\"a\"]}",
                        "report.Endorsements.Uvm"})) {
            ObjectNode body = sim.body();
            ObjectNode envelope = (ObjectNode) Requests.JSON.readTree(Base64.getUrlDecoder().decode(body.get(
                    "report").asText()));
            envelope.set("Endorsements", Requests.JSON.readTree(c[0]));
            body.put("report", Base64.getUrlEncoder().encodeToString(envelope.toString().getBytes(
                    StandardCharsets.UTF_8)));
            attest(body).statusCode(400).body("error.code", equalTo("InvalidRequestContent")).body("error.target",
                    equalTo(c[1]));
        }
    }
}
