package dev.parma.snp.cose;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Checks a {@code did:x509} issuer against the certificate chain that signed (DID x509 method, version 0):
 * {@code did:x509:0:<sha256|sha384|sha512>:<base64url fingerprint of a CA certificate in the chain>::<policy>…}.
 * Microsoft's UVM endorsements name their signer this way, with an {@code eku} policy. Only {@code eku} policies
 * are supported; any other policy makes the check fail rather than pass unchecked.
 */
public final class DidX509 {
    static final String PREFIX = "did:x509:0:";

    private DidX509() {
    }

    public static boolean isDidX509(String issuer) {
        return issuer.startsWith(PREFIX);
    }

    /** Throws with the reason when {@code did} does not describe {@code chain} (leaf first). */
    public static void check(String did, List<X509Certificate> chain) throws CoseException {
        if (!isDidX509(did)) {
            throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                    "issuer '" + did + "' is not a did:x509:0 identifier");
        }
        String[] parts = did.substring(PREFIX.length()).split("::", -1);
        String[] ca = parts[0].split(":", -1);
        if (ca.length != 2 || parts.length < 2) {
            throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                    "did:x509 '" + did + "' is not <hash>:<fingerprint>::<policy>:<value>");
        }
        String hash = switch (ca[0].toLowerCase(Locale.ROOT)) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                    "did:x509 hash '" + ca[0] + "' is not sha256, sha384 or sha512");
        };
        byte[] want;
        try {
            want = Base64.getUrlDecoder().decode(ca[1]);
        } catch (IllegalArgumentException e) {
            throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                    "did:x509 fingerprint '" + ca[1] + "' is not base64url");
        }
        boolean found = false;
        for (int i = 1; i < chain.size() && !found; i++) { // CA certificates only, not the leaf
            found = MessageDigest.isEqual(digest(hash, chain.get(i)), want);
        }
        if (!found) {
            throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                    "did:x509 fingerprint " + ca[1] + " matches no CA certificate of the x5chain");
        }
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            String name = colon < 0 ? parts[i] : parts[i].substring(0, colon);
            String value = colon < 0 ? "" : parts[i].substring(colon + 1);
            if (!name.equals("eku")) {
                throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                        "did:x509 policy '" + name + "' is not supported (only eku)");
            }
            List<String> ekus;
            try {
                ekus = chain.get(0).getExtendedKeyUsage();
            } catch (CertificateParsingException e) {
                throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                        "the signer certificate's extended key usage does not parse", e);
            }
            if (ekus == null || !ekus.contains(value)) {
                throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                        "did:x509 requires EKU " + value + " but the signer certificate has "
                                + (ekus == null ? "none" : ekus));
            }
        }
    }

    private static byte[] digest(String hash, X509Certificate cert) throws CoseException {
        try {
            return MessageDigest.getInstance(hash).digest(cert.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new CoseException(CoseException.Reason.ISSUER_MISMATCH,
                    "cannot fingerprint " + cert.getSubjectX500Principal(), e);
        }
    }
}
