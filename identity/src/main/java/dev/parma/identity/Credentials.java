package dev.parma.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key and its certificate chain (leaf first, ending at the platform CA). */
public record Credentials(PrivateKey key, List<X509Certificate> chain) {

    public Credentials {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs its certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public Principal principal() {
        return Principal.of(certificate())
                .orElseThrow(() -> new IllegalStateException("not a platform certificate: "
                        + certificate().getSubjectX500Principal()));
    }
}
