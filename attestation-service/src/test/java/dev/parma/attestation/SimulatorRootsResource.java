package dev.parma.attestation;

import dev.parma.snp.abi.Product;
import dev.parma.snp.cose.CoseException;
import dev.parma.snp.cose.CoseSign1;
import dev.parma.snp.testkit.TestAuthorities;
import dev.parma.snp.trust.Pem;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What this deployment explicitly trusts: the shared Milan simulator authority's ARK/ASK/ASVK (Genoa's shared
 * authority deliberately not), and as UVM endorsement signers the testkit's simulated UVM publisher and Microsoft's
 * Supply Chain root (taken from the real ACI endorsement's x5chain).
 */
public class SimulatorRootsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        var auth = TestAuthorities.shared(Product.MILAN);
        Path roots = Path.of("target", "test-simulator-roots.pem").toAbsolutePath();
        Path signers = Path.of("target", "test-endorsement-signers.pem").toAbsolutePath();
        try {
            Files.createDirectories(roots.getParent());
            Files.writeString(roots, Pem.encode(List.of(auth.ark(), auth.ask(), auth.roots().asvk())));
            Files.writeString(signers, Pem.encode(List.of(TestAuthorities.uvmPublisher().root(), microsoftRoot())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("parma.attestation.evidence.simulator-roots", roots.toString(),
                "parma.attestation.endorsements.trusted-signers", signers.toString());
    }

    /** The last certificate of the ACI endorsement's x5chain: Microsoft Supply Chain RSA Root CA 2022. */
    static X509Certificate microsoftRoot() {
        try {
            List<X509Certificate> chain = CoseSign1.parse(Requests.resource(
                    "aci-milan-v2/uvm_reference_info.cose_sign1.bin")).x5chain();
            return chain.get(chain.size() - 1);
        } catch (CoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}
