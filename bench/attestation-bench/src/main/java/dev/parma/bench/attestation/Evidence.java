package dev.parma.bench.attestation;

import dev.parma.snp.abi.Product;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.testkit.TestEvidence;
import dev.parma.snp.trust.Pem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** MAA request bodies for simulated guests on a few simulated chips, all under one simulator authority. */
final class Evidence {
    /** A runtime-data JWK set of the size the ACI sidecar sends (one RSA-2048 key). */
    static final String RUNTIME = "{\"keys\":[{\"e\":\"AQAB\",\"key_ops\":[\"encrypt\"],\"kid\":\"TpmEphemeralEncryptionKey\","
            + "\"kty\":\"RSA\",\"n\":\"" + "u".repeat(342) + "\"}]}";

    private Evidence() {
    }

    static List<String> bodies(SimAuthority authority, int chips) throws Exception {
        byte[] runtime = RUNTIME.getBytes(StandardCharsets.UTF_8);
        byte[] reportData = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(runtime), 64);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < chips; i++) {
            var e = TestEvidence.builder(Product.MILAN).authority(authority).report(b -> b.reportData(reportData))
                    .build();
            String pem = Pem.encode(List.of(e.chain().leaf(), e.chain().intermediate(), e.chain().root()));
            String envelope = "{\"SnpReport\":\"" + url.encodeToString(e.report()) + "\",\"VcekCertChain\":\"" + url
                    .encodeToString(pem.getBytes(StandardCharsets.US_ASCII)) + "\"}";
            out.add("{\"report\":\"" + url.encodeToString(envelope.getBytes(StandardCharsets.UTF_8))
                    + "\",\"runtimeData\":{\"data\":\"" + url.encodeToString(runtime)
                    + "\",\"dataType\":\"JSON\"},\"nonce\":\"bench-" + i + "\"}");
        }
        return out;
    }
}
