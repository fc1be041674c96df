package dev.parma.attestation.evidence;

import dev.parma.snp.abi.Product;
import dev.parma.snp.trust.Pem;
import dev.parma.snp.trust.ProductRoots;
import dev.parma.snp.trust.RootStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a deployment's simulator roots: a PEM file holding, per product, the simulator's ARK (self-signed, CN
 * ARK-&lt;Product&gt;), its ASK (CN SEV-&lt;Product&gt;) and optionally its ASVK (CN SEV-VLEK-&lt;Product&gt;).
 */
public final class TrustedRoots {

    private TrustedRoots() {
    }

    /** The simulator root sets in {@code file}; {@link ProductRoots} checks each one's signatures. */
    public static List<ProductRoots> simulatorRoots(Path file) {
        List<X509Certificate> certs;
        try {
            certs = Pem.certificates(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator roots " + file, e);
        }
        List<ProductRoots> out = new ArrayList<>();
        for (Product p : Product.values()) {
            String name = p.kdsName();
            X509Certificate ark = byCn(certs, "ARK-" + name);
            if (ark == null) {
                continue;
            }
            X509Certificate ask = byCn(certs, "SEV-" + name);
            if (ask == null) {
                throw new IllegalArgumentException(file + ": simulator ARK-" + name + " without its ASK (CN=SEV-"
                        + name + ")");
            }
            out.add(new ProductRoots(p, ark, ask, byCn(certs, "SEV-VLEK-" + name)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no ARK-<Product> certificate");
        }
        for (ProductRoots sim : out) {
            ProductRoots amd = RootStore.loadAmd(sim.product());
            if (amd.ark().equals(sim.ark())) {
                throw new IllegalArgumentException(file + ": the " + sim.product()
                        + " ARK there is AMD's own, not a simulator root");
            }
        }
        return out;
    }

    private static X509Certificate byCn(List<X509Certificate> certs, String cn) {
        String want = ("CN=" + cn).toLowerCase(Locale.ROOT);
        for (X509Certificate c : certs) {
            for (String part : c.getSubjectX500Principal().getName().split(",")) {
                if (part.trim().toLowerCase(Locale.ROOT).equals(want)) {
                    return c;
                }
            }
        }
        return null;
    }
}
