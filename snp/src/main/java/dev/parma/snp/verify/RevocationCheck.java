package dev.parma.snp.verify;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Optional revocation check run after the chain verifies (e.g. {@link CrlRevocationCheck} against AMD's CRL). */
@FunctionalInterface
public interface RevocationCheck {
    void check(Product product, SigningKey keyType, X509Certificate ark, X509Certificate intermediate,
            X509Certificate leaf, Instant at) throws VerificationException;
}
