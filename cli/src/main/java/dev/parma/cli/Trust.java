package dev.parma.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CLI's HTTP client. Exec websockets go to a node agent, whose certificate the platform's CA issued: with
 * {@code PARMA_CA} (a PEM file; {@code ./parma} sets it to the local run's CA) that CA is trusted too, on top of the
 * JDK's usual roots, never instead of certificate checks.
 */
final class Trust {

    private Trust() {
    }

    static HttpClient client(String caFile) {
        var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (caFile != null && !caFile.isBlank()) {
            builder.sslContext(context(Path.of(caFile)));
        }
        return builder.build();
    }

    static SSLContext context(Path caFile) {
        try {
            var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store(caFile));
            var ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PARMA_CA " + caFile + " cannot be trusted", e);
        }
    }

    /** The JDK's roots plus every certificate in {@code caFile}. */
    static KeyStore store(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            var store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("parma-ca-" + i++, c);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in it");
            }
            var jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            for (var tm : jdk.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x) {
                    for (var root : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + i++, root);
                    }
                }
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("PARMA_CA " + caFile + " cannot be read", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PARMA_CA " + caFile + " is not a PEM certificate file", e);
        }
    }
}
