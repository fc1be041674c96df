package dev.parma.snp.verify;

import static dev.parma.snp.verify.VerificationException.Reason.CERTIFICATE_REVOKED;
import static dev.parma.snp.verify.VerificationException.Reason.CRL_UNAVAILABLE;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.kds.KdsClient;
import dev.parma.snp.kds.KdsException;
import dev.parma.snp.kds.KdsRequest;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Checks AMD's CRL for the product (https://kdsintf.amd.com/{vcek|vlek}/v1/{product}/crl). The CRL is issued and
 * signed by the ARK, so it can revoke intermediates (ASK/ASVK); it must verify with the pinned ARK and be current at
 * the verification time. Use it with a {@link dev.parma.snp.kds.CachingKdsClient}.
 */
public final class CrlRevocationCheck implements RevocationCheck {
    private final KdsClient kds;

    public CrlRevocationCheck(KdsClient kds) {
        this.kds = kds;
    }

    @Override
    public void check(Product product, SigningKey keyType, X509Certificate ark, X509Certificate intermediate,
            X509Certificate leaf, Instant at) throws VerificationException {
        KdsRequest.Crl request = new KdsRequest.Crl(product, keyType);
        X509CRL crl;
        try {
            crl = kds.crl(request);
        } catch (KdsException e) {
            throw new VerificationException(CRL_UNAVAILABLE, request.url() + ": " + e.getMessage(), e);
        }
        if (!crl.getIssuerX500Principal().equals(ark.getSubjectX500Principal())) {
            throw new VerificationException(CRL_UNAVAILABLE, "CRL issuer " + crl.getIssuerX500Principal()
                    + " is not the ARK");
        }
        try {
            crl.verify(ark.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new VerificationException(CRL_UNAVAILABLE, "CRL signature does not verify with the "
                    + product + " ARK", e);
        }
        if (crl.getNextUpdate() != null && at.isAfter(crl.getNextUpdate().toInstant())) {
            throw new VerificationException(CRL_UNAVAILABLE, "CRL is stale: nextUpdate " + crl.getNextUpdate()
                    .toInstant() + ", verification time " + at);
        }
        var entry = crl.getRevokedCertificate(intermediate.getSerialNumber());
        if (entry != null && !entry.getRevocationDate().toInstant().isAfter(at)) {
            throw new VerificationException(CERTIFICATE_REVOKED, intermediate.getSubjectX500Principal().getName()
                    + " serial 0x" + intermediate.getSerialNumber().toString(16) + " revoked at " + entry
                            .getRevocationDate().toInstant());
        }
    }
}
