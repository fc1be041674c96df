package dev.parma.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustTest {

    @TempDir
    Path dir;

    static X509Certificate anyJdkRoot() throws Exception {
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()[0];
    }

    @Test
    void parmaCaIsTrustedBesidesTheJdkRoots() throws Exception {
        X509Certificate ca = anyJdkRoot();
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(ca.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        KeyStore store = Trust.store(pem);
        assertThat(store.getCertificateAlias(ca)).startsWith("parma-ca-");
        assertThat(Collections.list(store.aliases())).anyMatch(a -> a.startsWith("jdk-"));
        assertThat(Trust.client(pem.toString())).isNotNull();
    }

    @Test
    void aFileWithoutCertificatesIsNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> Trust.client(bad.toString())).hasMessageContaining("PARMA_CA " + bad);
    }
}
