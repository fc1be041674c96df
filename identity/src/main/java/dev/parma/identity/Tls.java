package dev.parma.identity;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS for plain JDK clients (the deployment service calling nodes, tests, benchmarks, the CLI): presents an
 * identity and trusts the platform CA alone, never the JDK's public roots.
 */
public final class Tls {

    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private Tls() {
    }

    /** A context that presents {@code dir}'s TLS identity and trusts only its CA. */
    public static SSLContext context(IdentityDir dir) {
        return context(dir.tls(), dir.ca());
    }

    public static SSLContext context(Credentials identity, java.security.cert.X509Certificate ca) {
        try {
            var keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("identity", identity.key(), IN_MEMORY, identity.chain().toArray(Certificate[]::new));
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, IN_MEMORY);
            var ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), trustManagers(ca), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /** A context that presents no identity (a tenant's client reaching a node's exec socket) but trusts the CA. */
    public static SSLContext anonymous(java.security.cert.X509Certificate ca) {
        try {
            var ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(null, trustManagers(ca), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(java.security.cert.X509Certificate ca)
            throws GeneralSecurityException, java.io.IOException {
        var trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("platform-ca", ca);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }
}
