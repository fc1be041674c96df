package dev.parma.attestation;

import static dev.parma.attestation.Tokens.attest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.Product;
import dev.parma.snp.kds.KdsRequest;
import dev.parma.snp.testkit.FakeKds;
import dev.parma.snp.testkit.TestAuthorities;
import dev.parma.snp.testkit.TestEvidence;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Simulator evidence: trusted only through the configured roots, marked as such; every tampering has its code. */
@QuarkusTest
@AttestationTestResources
class EvidenceTest {
    static final byte[] RUNTIME = Requests.runtimeJson("{\"keys\":[],\"purpose\":\"evidence-test\"}");
    static final byte[] POLICY = "package policy\ndefault allow := true\n".getBytes(StandardCharsets.UTF_8);

    @Inject
    FakeKds kds;

    @Test
    void simulatorEvidenceFromATrustedSimulatorRootSaysSo() {
        var sim = Requests.sim(RUNTIME, POLICY);
        JsonNode claims = Tokens.payload(Tokens.token(sim.body()));
        assertThat(claims.get("x-parma-sevsnpvm-simulated").asBoolean()).isTrue();
        assertThat(claims.get("x-ms-sevsnpvm-hostdata").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                Requests.sha256(POLICY)));
        assertThat(claims.get("x-ms-runtime").get("purpose").asText()).isEqualTo("evidence-test");
        assertThat(claims.get("nonce").asText()).isEqualTo("sim-nonce-1");
    }

    @Test
    void jsonInitTimeDataBecomesTheInittimeClaim() {
        byte[] init = Requests.runtimeJson("{\"policy\":\"allow-all\",\"version\":2}");
        var sim = Requests.sim(RUNTIME, init);
        ObjectNode body = sim.body();
        Requests.withData(body, "initTimeData", init, "JSON");
        JsonNode claims = Tokens.payload(Tokens.token(body));
        assertThat(claims.get("x-ms-inittime").get("version").asInt()).isEqualTo(2);
    }

    @Test
    void jsonDataThatIsNotAnObjectIsRefused() {
        byte[] runtime = Requests.runtimeJson("[1,2,3]");
        var sim = Requests.sim(runtime, POLICY);
        attest(sim.body()).statusCode(400).body("error.code", equalTo("InvalidRuntimeOrInitTimeData"));
    }

    @Test
    void simulatorRootTheDeploymentDoesNotTrustIsRefused() {
        // the shared Genoa authority is not in the configured simulator roots
        var sim = Requests.sim(TestEvidence.builder(Product.GENOA), RUNTIME, POLICY, b -> {
        });
        attest(sim.body()).statusCode(400).body("error.code", equalTo("UntrustedCertificateChain"));
    }

    @Test
    void tamperedReportIsRefused() {
        var sim = Requests.sim(TestEvidence.builder(Product.MILAN).afterSigning(b -> b[0x90] ^= 1), RUNTIME, POLICY,
                b -> {
                });
        attest(sim.body()).statusCode(400).body("error.code", equalTo("InvalidReportSignature"));
    }

    @Test
    void tamperedRuntimeDataIsRefused() {
        var sim = Requests.sim(RUNTIME, POLICY);
        ObjectNode body = sim.body();
        Requests.withData(body, "runtimeData", Requests.runtimeJson("{\"keys\":[],\"purpose\":\"evil\"}"), "JSON");
        attest(body).statusCode(400).body("error.code", equalTo("RuntimeDataMismatch")).body("error.target",
                equalTo("runtimeData"));
    }

    @Test
    void tamperedInitTimeDataIsRefused() {
        var sim = Requests.sim(RUNTIME, POLICY);
        ObjectNode body = sim.body();
        Requests.withData(body, "initTimeData", "package policy\ndefault allow := false\n".getBytes(
                StandardCharsets.UTF_8), "Binary");
        attest(body).statusCode(400).body("error.code", equalTo("InitTimeDataMismatch")).body("error.message",
                containsString("HOST_DATA"));
    }

    @Test
    void chainOfAnotherChipIsRefused() {
        var sim = Requests.sim(RUNTIME, POLICY);
        var other = Requests.sim(RUNTIME, POLICY);
        ObjectNode body = Requests.body(sim.evidence().report(), other.chainPem());
        attest(body).statusCode(400).body("error.code", equalTo("ReportCertificateMismatch")).body("error.message",
                containsString("HWID_MISMATCH"));
    }

    @Test
    void realReportWithAnotherRealChainIsRefused() {
        ObjectNode body = Requests.body(Requests.resource("maa-docs-milan-v1/report.bin"), Requests.text(
                "aci-milan-v2/vcek_ask_ark.pem"));
        attest(body).statusCode(400).body("error.code", equalTo("ReportCertificateMismatch"));
    }

    @Test
    void chainThatIsNotPemIsRefused() {
        ObjectNode body = Requests.body(Requests.resource("maa-docs-milan-v1/report.bin"), "not a certificate");
        attest(body).statusCode(400).body("error.code", equalTo("InvalidCertificateChain"));
    }

    @Test
    void vcekIsFetchedFromKdsWhenTheRequestHasNoChainAndThenCached() {
        var sim = Requests.sim(RUNTIME, POLICY);
        AttestationReport r = sim.evidence().parsed();
        kds.put(KdsRequest.Vcek.forChip(Product.MILAN, r.chipId(), r.reportedTcb().parts(Product.MILAN)), sim
                .evidence().chain().leaf());
        ObjectNode body = Requests.body(sim.evidence().report(), null);
        Requests.withData(body, "runtimeData", RUNTIME, "JSON");
        int before = kds.requests();
        Tokens.token(body);
        Tokens.token(body);
        assertThat(kds.requests() - before).as("KDS requests for two attestations").isEqualTo(1);
    }

    @Test
    void missingVcekIsReported() {
        var sim = Requests.sim(RUNTIME, POLICY);
        attest(Requests.body(sim.evidence().report(), null)).statusCode(400).body("error.code", equalTo(
                "VcekUnavailable"));
    }

    @Test
    void defaultPolicyRefusesDebuggableGuests() {
        var sim = Requests.sim(RUNTIME, POLICY, b -> b.policy(GuestPolicy.defaults().withDebug(true)));
        attest(sim.body()).statusCode(403).body("error.code", equalTo("AttestationPolicyDenied"));
    }

    @Test
    void theSharedAuthorityIsTheOneTheServiceTrusts() throws Exception {
        String pem = java.nio.file.Files.readString(java.nio.file.Path.of("target", "test-simulator-roots.pem"));
        String ark = Base64.getMimeEncoder().encodeToString(TestAuthorities.shared(Product.MILAN).ark().getEncoded())
                .substring(0, 60);
        assertThat(pem.replace("\n", "").replace("\r", "")).contains(ark.replace("\r\n", ""));
    }
}
