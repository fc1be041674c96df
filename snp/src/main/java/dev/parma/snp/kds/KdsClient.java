package dev.parma.snp.kds;

import dev.parma.snp.trust.Pem;
import java.io.ByteArrayInputStream;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Access to AMD's Key Distribution Service. The library never reaches the network on its own: the default is
 * {@link #offline()}, tests and air-gapped nodes use {@link #of(Map)}, and {@link HttpKdsClient} is opt-in. Wrap any
 * client in {@link CachingKdsClient} to respect AMD's rate limit.
 */
@FunctionalInterface
public interface KdsClient {

    /** The raw response body: DER for a VCEK, PEM (ASK/ASVK then ARK) for cert_chain, DER for a CRL. */
    byte[] fetch(KdsRequest request) throws KdsUnavailableException;

    default X509Certificate vcek(KdsRequest.Vcek request) throws KdsUnavailableException {
        try {
            return Pem.der(fetch(request));
        } catch (IllegalArgumentException e) {
            throw new KdsException("KDS VCEK response for " + request.url() + " is not a DER certificate", e);
        }
    }

    /** Intermediate (ASK or ASVK) then ARK. */
    default List<X509Certificate> certChain(KdsRequest.CertChain request) throws KdsUnavailableException {
        List<X509Certificate> certs;
        try {
            certs = Pem.certificates(fetch(request));
        } catch (IllegalArgumentException e) {
            throw new KdsException("KDS cert_chain response for " + request.url() + " is not PEM", e);
        }
        if (certs.size() != 2) {
            throw new KdsException("KDS cert_chain response for " + request.url() + " has " + certs.size()
                    + " certificates, want 2");
        }
        return certs;
    }

    default X509CRL crl(KdsRequest.Crl request) throws KdsUnavailableException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(fetch(
                    request)));
        } catch (CRLException | CertificateException e) {
            throw new KdsException("KDS CRL response for " + request.url() + " is not a DER CRL", e);
        }
    }

    /** Refuses every request: the default, so nothing reaches the network unless a caller opts in. */
    static KdsClient offline() {
        return request -> {
            throw new KdsUnavailableException("offline KDS client: no network access configured for "
                    + request.url());
        };
    }

    /** Serves pre-fetched bodies keyed by URL (tests, air-gapped nodes, THIM-style host caches). */
    static KdsClient of(Map<String, byte[]> bodiesByUrl) {
        Map<String, byte[]> copy = Map.copyOf(bodiesByUrl);
        return request -> {
            byte[] body = copy.get(request.url());
            if (body == null) {
                throw new KdsUnavailableException("no stored KDS response for " + request.url());
            }
            return body.clone();
        };
    }
}
