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
 * with {@link #with(ProductRoots)}; a verifier that should accept only real hardware uses {@code amd()} alone. Each
 * root is classified once, by its ARK ({@link TrustRoot}), so a verified report says which kind it chained to.
 */
public final class RootStore {
    private static final String RESOURCE_DIR = "/dev/parma/snp/trust/";
    private static volatile RootStore amd;

    /** One trusted root set and what kind of root it is. */
    public record Entry(ProductRoots roots, TrustRoot root) {
    }

    private final List<Entry> entries;

    private RootStore(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A store of exactly these roots (AMD's or others, each classified by its ARK). */
    public static RootStore of(List<ProductRoots> roots) {
        return new RootStore(roots.stream().map(r -> new Entry(r, TrustRoot.of(r))).toList());
    }

    /** AMD's production roots for every product (loaded once). */
    public static RootStore amd() {
        RootStore r = amd;
        if (r == null) {
            synchronized (RootStore.class) {
                r = amd;
                if (r == null) {
                    List<Entry> list = new ArrayList<>();
                    for (Product p : Product.values()) {
                        ProductRoots pr = loadAmd(p);
                        list.add(new Entry(pr, new TrustRoot.Amd(p, TrustRoot.sha256(pr.ark()))));
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

    /** A new store with one more root set: a simulator or test root unless its ARK is AMD's own. */
    public RootStore with(ProductRoots more) {
        List<Entry> list = new ArrayList<>(entries);
        list.add(new Entry(more, TrustRoot.of(more)));
        return new RootStore(list);
    }

    /** A new store with more root sets. */
    public RootStore with(List<ProductRoots> more) {
        RootStore out = this;
        for (ProductRoots r : more) {
            out = out.with(r);
        }
        return out;
    }

    public List<ProductRoots> roots() {
        return entries.stream().map(Entry::roots).toList();
    }

    /** The roots with their kind, in the order verifiers try them. */
    public List<Entry> entries() {
        return entries;
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
