package dev.parma.attestation;

import dev.parma.snp.abi.Product;
import dev.parma.snp.testkit.TestAuthorities;
import dev.parma.snp.trust.Pem;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the shared Milan simulator authority's ARK/ASK/ASVK to a PEM file and points the service at it: the
 * deployment explicitly trusts this simulator. Genoa's shared authority is deliberately not trusted.
 */
public class SimulatorRootsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        var auth = TestAuthorities.shared(Product.MILAN);
        Path file = Path.of("target", "test-simulator-roots.pem").toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Pem.encode(List.of(auth.ark(), auth.ask(), auth.roots().asvk())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("parma.attestation.evidence.simulator-roots", file.toString());
    }

    @Override
    public void stop() {
    }
}
