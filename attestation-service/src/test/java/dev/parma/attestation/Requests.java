package dev.parma.attestation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.snp.abi.Product;
import dev.parma.snp.testkit.Evidence;
import dev.parma.snp.testkit.TestEvidence;
import dev.parma.snp.trust.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/** Builds MAA request bodies from anchors (test resources) and from simulator evidence. */
public final class Requests {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Requests() {
    }

    public static byte[] resource(String path) {
        try (InputStream in = Requests.class.getResourceAsStream("/anchors/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource anchors/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    /** {"report": b64url({SnpReport, VcekCertChain}), ...} with the given parts; null parts are left out. */
    public static ObjectNode body(byte[] report, String chainPem) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("SnpReport", URL.encodeToString(report));
        if (chainPem != null) {
            envelope.put("VcekCertChain", URL.encodeToString(chainPem.getBytes(StandardCharsets.US_ASCII)));
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("report", URL.encodeToString(envelope.toString().getBytes(StandardCharsets.UTF_8)));
        return body;
    }

    public static ObjectNode withData(ObjectNode body, String field, byte[] data, String type) {
        ObjectNode d = body.putObject(field);
        d.put("data", URL.encodeToString(data));
        d.put("dataType", type);
        return body;
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] randomMeasurement() {
        byte[] m = new byte[48];
        RANDOM.nextBytes(m);
        return m;
    }

    /** Simulator evidence bound to runtime data (REPORT_DATA) and init-time data (HOST_DATA). */
    public record Sim(Evidence evidence, byte[] runtime, byte[] init, byte[] measurement) {

        public String chainPem() {
            List<java.security.cert.X509Certificate> certs = new ArrayList<>();
            certs.add(evidence.chain().leaf());
            evidence.chain().intermediateCert().ifPresent(certs::add);
            evidence.chain().rootCert().ifPresent(certs::add);
            return Pem.encode(certs);
        }

        /** The full MAA request: report with chain, runtimeData (JSON), initTimeData (Binary), nonce. */
        public ObjectNode body() {
            ObjectNode b = Requests.body(evidence.report(), chainPem());
            withData(b, "runtimeData", runtime, "JSON");
            withData(b, "initTimeData", init, "Binary");
            b.put("nonce", "sim-nonce-1");
            return b;
        }
    }

    public static Sim sim(byte[] runtime, byte[] init) {
        return sim(runtime, init, b -> {
        });
    }

    public static Sim sim(byte[] runtime, byte[] init, Consumer<dev.parma.snp.abi.AttestationReport.Builder> more) {
        return sim(TestEvidence.builder(Product.MILAN), runtime, init, more);
    }

    public static Sim sim(TestEvidence builder, byte[] runtime, byte[] init,
            Consumer<dev.parma.snp.abi.AttestationReport.Builder> more) {
        byte[] reportData = Arrays.copyOf(sha256(runtime), 64);
        byte[] hostData = sha256(init);
        byte[] measurement = randomMeasurement();
        Evidence e = builder.report(b -> {
            b.reportData(reportData).hostData(hostData).measurement(measurement);
            more.accept(b);
        }).build();
        return new Sim(e, runtime, init, measurement);
    }

    public static byte[] runtimeJson(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
