package dev.parma.snp.testkit;

import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.kds.KdsClient;
import dev.parma.snp.kds.KdsRequest;
import dev.parma.snp.kds.KdsUnavailableException;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.trust.Pem;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory KDS for a simulator authority: serves its cert_chain, the VCEKs registered with {@link #put} and a
 * CRL set with {@link #crl}. Counts requests so caching can be asserted.
 */
public final class FakeKds implements KdsClient {
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public FakeKds(SimAuthority authority) {
        bodies.put(new KdsRequest.CertChain(authority.product(), SigningKey.VCEK).url(), Pem.encode(List.of(authority
                .ask(), authority.ark())).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        authority.roots().asvkCert().ifPresent(asvk -> bodies.put(new KdsRequest.CertChain(authority.product(),
                SigningKey.VLEK).url(), Pem.encode(List.of(asvk, authority.ark())).getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)));
    }

    public FakeKds put(KdsRequest.Vcek request, X509Certificate vcek) {
        try {
            bodies.put(request.url(), vcek.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    public FakeKds crl(KdsRequest.Crl request, X509CRL crl) {
        try {
            bodies.put(request.url(), crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public byte[] fetch(KdsRequest request) throws KdsUnavailableException {
        requests.incrementAndGet();
        byte[] b = bodies.get(request.url());
        if (b == null) {
            throw new KdsUnavailableException("fake KDS: 404 for " + request.url());
        }
        return b.clone();
    }
}
