package dev.parma.snp.cose;

import static dev.parma.snp.cose.CoseException.Reason.BAD_SIGNATURE;
import static dev.parma.snp.cose.CoseException.Reason.CERTIFICATE_NOT_VALID;
import static dev.parma.snp.cose.CoseException.Reason.MALFORMED;
import static dev.parma.snp.cose.CoseException.Reason.UNSUPPORTED_ALGORITHM;
import static dev.parma.snp.cose.CoseException.Reason.UNTRUSTED_SIGNER;

import dev.parma.snp.cose.CborValue.Int;
import dev.parma.snp.cose.CborValue.Tag;
import dev.parma.snp.cose.CborValue.Text;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificates a relying party trusts to sign COSE_Sign1 documents (for example Microsoft's Supply Chain root for
 * ACI's UVM endorsements, or a simulated UVM publisher). A message is proven when:
 * <ol>
 * <li>its protected header names a supported algorithm and carries an x5chain (leaf first);</li>
 * <li>each certificate of the x5chain is signed by the next, and every issuer is a CA;</li>
 * <li>the chain contains a trusted certificate, or its last certificate is signed by one;</li>
 * <li>every certificate up to the trusted one is valid at the protected {@code signingtime} (the signer's own, signed
 * statement of when it signed; MAA's endorsement certificates are short-lived) or, without one, at {@code now};</li>
 * <li>the signature over the Sig_structure verifies with the leaf key;</li>
 * <li>a protected {@code did:x509} issuer describes the chain ({@link DidX509}).</li>
 * </ol>
 * The RFC 3161 countersignature some signers add in the unprotected header is not evaluated.
 */
public final class TrustedSigners {

    /** The proven signer of a message. */
    public record Signer(List<X509Certificate> chain, X509Certificate anchor, Optional<String> issuer,
            Optional<Instant> signingTime) {
    }

    private final List<X509Certificate> trusted;

    private TrustedSigners(List<X509Certificate> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    public static TrustedSigners of(List<X509Certificate> trusted) {
        return new TrustedSigners(trusted);
    }

    public List<X509Certificate> certificates() {
        return trusted;
    }

    public Signer verify(CoseSign1 message, Instant now) throws CoseException {
        CoseAlgorithm alg = message.algorithm();
        List<X509Certificate> chain = message.x5chain();
        if (chain.isEmpty()) {
            throw new CoseException(UNTRUSTED_SIGNER, "COSE: the protected header has no x5chain (label 33)");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            checkIssued(chain.get(i), chain.get(i + 1), "x5chain[" + i + "]", "x5chain[" + (i + 1) + "]");
        }
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate anchor = null;
        for (X509Certificate c : chain) {
            path.add(c);
            if (trusted.contains(c)) {
                anchor = c;
                break;
            }
        }
        if (anchor == null) {
            X509Certificate top = chain.get(chain.size() - 1);
            for (X509Certificate t : trusted) {
                if (t.getSubjectX500Principal().equals(top.getIssuerX500Principal()) && signs(t, top)) {
                    anchor = t;
                    path.add(t);
                    break;
                }
            }
        }
        if (anchor == null) {
            throw new CoseException(UNTRUSTED_SIGNER, "COSE: the x5chain (leaf " + chain.get(0)
                    .getSubjectX500Principal().getName() + ") reaches none of the " + trusted.size()
                    + " trusted signer certificates");
        }
        Optional<Instant> signingTime = signingTime(message);
        Instant at = signingTime.orElse(now);
        if (signingTime.isPresent() && signingTime.get().isAfter(now)) {
            throw new CoseException(CERTIFICATE_NOT_VALID, "COSE: signingtime " + signingTime.get()
                    + " is in the future (now " + now + ")");
        }
        for (X509Certificate c : path) {
            if (at.isBefore(c.getNotBefore().toInstant()) || at.isAfter(c.getNotAfter().toInstant())) {
                throw new CoseException(CERTIFICATE_NOT_VALID, "COSE: " + c.getSubjectX500Principal().getName()
                        + " is valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant()
                        + ", not at " + (signingTime.isPresent() ? "the signing time " : "") + at);
            }
        }
        if (!alg.fits(chain.get(0).getPublicKey())) {
            throw new CoseException(UNSUPPORTED_ALGORITHM, "COSE: algorithm " + alg + " does not fit the signer's "
                    + chain.get(0).getPublicKey().getAlgorithm() + " key");
        }
        if (!message.verify(chain.get(0).getPublicKey())) {
            throw new CoseException(BAD_SIGNATURE, "COSE: the " + alg + " signature does not verify with "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
        Optional<String> issuer = text(message, "iss");
        if (issuer.isPresent() && DidX509.isDidX509(issuer.get())) {
            DidX509.check(issuer.get(), chain);
        }
        return new Signer(List.copyOf(path), anchor, issuer, signingTime);
    }

    /** A protected text header under a text label (how ACI's endorsements carry iss and feed). */
    public static Optional<String> text(CoseSign1 message, String label) throws CoseException {
        Optional<CborValue> v = message.protectedHeader().get(label);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof Text t) {
            return Optional.of(t.value());
        }
        throw new CoseException(MALFORMED, "COSE: protected header '" + label + "' is not a text string");
    }

    /** The protected {@code signingtime}: epoch seconds, tagged 1 or bare. */
    static Optional<Instant> signingTime(CoseSign1 message) throws CoseException {
        Optional<CborValue> v = message.protectedHeader().get("signingtime");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        CborValue t = v.get() instanceof Tag tag && tag.tag() == 1 ? tag.content() : v.get();
        if (t instanceof Int seconds) {
            return Optional.of(Instant.ofEpochSecond(seconds.value()));
        }
        throw new CoseException(MALFORMED, "COSE: signingtime " + v.get() + " is not epoch seconds");
    }

    private static void checkIssued(X509Certificate cert, X509Certificate issuer, String name, String issuerName)
            throws CoseException {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signs(issuer, cert)) {
            throw new CoseException(UNTRUSTED_SIGNER, "COSE: " + name + " (" + cert.getSubjectX500Principal()
                    .getName() + ") is not signed by " + issuerName + " (" + issuer.getSubjectX500Principal().getName()
                    + ")");
        }
        if (issuer.getBasicConstraints() < 0) {
            throw new CoseException(UNTRUSTED_SIGNER, "COSE: " + issuerName + " is not a CA certificate");
        }
    }

    private static boolean signs(X509Certificate issuer, X509Certificate cert) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
