package dev.parma.snp.trust;

import dev.parma.snp.abi.Product;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The set of pinned roots a verifier trusts. {@link #amd()} holds AMD's real ARK/ASK/ASVK for Milan, Genoa and
 * Turin, shipped as resources (KDS cert_chain bodies, see PROVENANCE.md next to them). Simulator roots are added
 * with {@link #with(ProductRoots)}; a verifier that should accept only real hardware uses {@code amd()} alone.
 */
public final class RootStore {
    private static final String RESOURCE_DIR = "/dev/parma/snp/trust/";
    private static volatile RootStore amd;

    private final List<ProductRoots> roots;

    private RootStore(List<ProductRoots> roots) {
        this.roots = List.copyOf(roots);
    }

    public static RootStore of(List<ProductRoots> roots) {
        return new RootStore(roots);
    }

    /** AMD's production roots for every product (loaded once). */
    public static RootStore amd() {
        RootStore r = amd;
        if (r == null) {
            synchronized (RootStore.class) {
                r = amd;
                if (r == null) {
                    List<ProductRoots> list = new ArrayList<>();
                    for (Product p : Product.values()) {
                        list.add(loadAmd(p));
                    }
                    amd = r = new RootStore(list);
                }
            }
        }
        return r;
    }

    /** AMD's roots for one product. */
    public static ProductRoots loadAmd(Product p) {
        String name = p.kdsName().toLowerCase(Locale.ROOT);
        List<X509Certificate> vcek = Pem.certificates(resource(name + "_vcek_cert_chain.pem"));
        List<X509Certificate> vlek = Pem.certificates(resource(name + "_vlek_cert_chain.pem"));
        if (!vcek.get(1).equals(vlek.get(1))) {
            throw new IllegalStateException(p + ": VCEK and VLEK chains name different ARKs");
        }
        return new ProductRoots(p, vcek.get(1), vcek.get(0), vlek.get(0));
    }

    /** A new store with one more root set. */
    public RootStore with(ProductRoots more) {
        List<ProductRoots> list = new ArrayList<>(roots);
        list.add(more);
        return new RootStore(list);
    }

    public List<ProductRoots> roots() {
        return roots;
    }

    private static byte[] resource(String file) {
        try (InputStream in = RootStore.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE_DIR + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
