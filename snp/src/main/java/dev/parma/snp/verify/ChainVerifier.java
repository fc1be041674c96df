package dev.parma.snp.verify;

import static dev.parma.snp.verify.VerificationException.Reason.*;

import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.kds.VcekExtensions;
import dev.parma.snp.trust.AmdSignatures;
import dev.parma.snp.trust.ProductRoots;
import dev.parma.snp.trust.RootStore;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks VCEK → ASK → ARK (or VLEK → ASVK → ARK) against a {@link RootStore} and caches the outcome per leaf, so
 * repeated reports from one chip cost one ECDSA verification. The key is the certificate itself: X.509 equality is
 * DER equality and the JDK caches the hash code, which is cheaper than digesting the DER on every call. Signatures do
 * not depend on time, so a cached chain stays correct; validity periods are checked per call.
 */
final class ChainVerifier {
    static final int MAX_CACHED = 4096;

    private final RootStore roots;
    private final Map<X509Certificate, VerifiedChain> cache = new ConcurrentHashMap<>();

    ChainVerifier(RootStore roots) {
        this.roots = roots;
    }

    VerifiedChain verify(CertificateChain chain) throws VerificationException {
        X509Certificate key = chain.leaf();
        VerifiedChain cached = cache.get(key);
        if (cached != null && suppliedMatches(chain, cached)) {
            return cached;
        }
        VerifiedChain fresh = verifyUncached(chain);
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // crude bound; a node sees a handful of chips, so eviction order does not matter
        }
        cache.put(key, fresh);
        return fresh;
    }

    private VerifiedChain verifyUncached(CertificateChain chain) throws VerificationException {
        X509Certificate leaf = chain.leaf();
        VcekExtensions ext;
        try {
            ext = VcekExtensions.parse(leaf);
        } catch (RuntimeException e) {
            // The leaf is the attester's: whatever its extensions hold, reading them fails as a verification.
            throw new VerificationException(MALFORMED_CERTIFICATE, "leaf " + leaf.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
        String pss = AmdSignatures.checkPss(leaf);
        if (pss != null) {
            throw new VerificationException(UNTRUSTED_CHAIN, ext.keyType() + " " + pss);
        }
        List<String> tried = new ArrayList<>();
        for (RootStore.Entry entry : roots.entries()) {
            ProductRoots pr = entry.roots();
            X509Certificate intermediate = ext.keyType() == SigningKey.VLEK ? pr.asvk() : pr.ask();
            if (intermediate == null || !intermediate.getSubjectX500Principal().equals(leaf
                    .getIssuerX500Principal())) {
                continue;
            }
            try {
                leaf.verify(intermediate.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                tried.add(pr.product() + " " + intermediate.getSubjectX500Principal().getName());
                continue;
            }
            VerifiedChain vc = build(chain, entry, intermediate, ext);
            if (!suppliedMatches(chain, vc)) {
                throw new VerificationException(UNTRUSTED_CHAIN,
                        "supplied intermediate/root certificates are not the pinned " + pr.product() + " ones");
            }
            return vc;
        }
        throw new VerificationException(UNTRUSTED_CHAIN, ext.keyType() + " issued by "
                + leaf.getIssuerX500Principal().getName() + " does not chain to a trusted ARK"
                + (tried.isEmpty()
                        ? " (no trusted intermediate has that subject)"
                        : "; signature did not verify under "
                                + tried));
    }

    private static VerifiedChain build(CertificateChain chain, RootStore.Entry entry, X509Certificate intermediate,
            VcekExtensions ext) throws VerificationException {
        ProductRoots pr = entry.roots();
        try {
            if (ext.product() != pr.product()) {
                throw new VerificationException(PRODUCT_MISMATCH, ext.keyType() + " productName '" + ext
                        .productName() + "' but it chains to the " + pr.product() + " ARK");
            }
        } catch (IllegalArgumentException e) {
            throw new VerificationException(MALFORMED_CERTIFICATE, e.getMessage(), e);
        }
        try {
            return new VerifiedChain(pr.product(), entry.root(), ext, EcdsaP384.publicKey(chain.leaf().getPublicKey()),
                    List.of(
                            new VerifiedChain.Named(ext.keyType().name(), chain.leaf()),
                            new VerifiedChain.Named(intermediate.getSubjectX500Principal().getName(), intermediate),
                            new VerifiedChain.Named(pr.ark().getSubjectX500Principal().getName(), pr.ark())));
        } catch (IllegalArgumentException e) {
            throw new VerificationException(MALFORMED_CERTIFICATE, ext.keyType() + " public key: " + e
                    .getMessage(), e);
        }
    }

    private static boolean suppliedMatches(CertificateChain chain, VerifiedChain vc) {
        return (chain.intermediate() == null || chain.intermediate().equals(vc.intermediate()))
                && (chain.root() == null || chain.root().equals(vc.certificates().get(2).cert()));
    }
}
