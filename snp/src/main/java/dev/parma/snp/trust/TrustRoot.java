package dev.parma.snp.trust;

import dev.parma.snp.abi.Product;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The root a certificate chain ended at. Which kind it is follows from the ARK itself, not from how the caller
 * labelled it: only AMD's pinned ARK of a product (shipped in this library) is an {@link Amd} root; any other ARK
 * the caller added to a {@link RootStore} is a {@link Simulator} root (a simulated secure processor or a test
 * authority the deployment chose to trust). Relying parties tell the two apart with {@code instanceof}.
 */
public sealed interface TrustRoot {

    Product product();

    /** SHA-256 of the ARK's DER, lowercase hex: names the root in logs and claims. */
    String arkSha256();

    /** AMD's production root for {@code product}: the evidence comes from real AMD hardware. */
    record Amd(Product product, String arkSha256) implements TrustRoot {
    }

    /** A root the caller trusted explicitly: the evidence comes from a simulator or a test authority. */
    record Simulator(Product product, String arkSha256) implements TrustRoot {
    }

    /** The kind of root {@code roots} is, by comparing its ARK with AMD's pinned ARKs. */
    static TrustRoot of(ProductRoots roots) {
        for (ProductRoots amd : RootStore.amd().roots()) {
            if (amd.ark().equals(roots.ark())) {
                if (amd.product() != roots.product()) {
                    throw new IllegalArgumentException("the ARK given for " + roots.product() + " is AMD's "
                            + amd.product() + " ARK");
                }
                return new Amd(roots.product(), sha256(roots.ark()));
            }
        }
        return new Simulator(roots.product(), sha256(roots.ark()));
    }

    static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
