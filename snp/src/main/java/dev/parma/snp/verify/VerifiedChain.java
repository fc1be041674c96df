package dev.parma.snp.verify;

import dev.parma.snp.abi.Product;
import dev.parma.snp.kds.VcekExtensions;
import dev.parma.snp.trust.TrustRoot;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * A leaf whose signatures up to a pinned ARK have been checked. Time validity is not part of it: it is checked per
 * report against the caller's verification time, using {@link #certificates()}.
 */
record VerifiedChain(Product product, TrustRoot root, VcekExtensions extensions, ECPublicKeyParameters leafKey,
        List<Named> certificates) {

    record Named(String name, X509Certificate cert, Instant notBefore, Instant notAfter) {
        Named(String name, X509Certificate cert) {
            this(name, cert, cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        }
    }

    X509Certificate leaf() {
        return certificates.get(0).cert();
    }

    X509Certificate intermediate() {
        return certificates.get(1).cert();
    }

    void checkValidAt(Instant at) throws VerificationException {
        for (Named n : certificates) {
            if (at.isBefore(n.notBefore())) {
                throw new VerificationException(VerificationException.Reason.CERTIFICATE_NOT_YET_VALID,
                        n.name() + " is valid from " + n.notBefore() + ", verification time is " + at);
            }
            if (at.isAfter(n.notAfter())) {
                throw new VerificationException(VerificationException.Reason.CERTIFICATE_EXPIRED,
                        n.name() + " expired at " + n.notAfter() + ", verification time is " + at);
            }
        }
    }
}
