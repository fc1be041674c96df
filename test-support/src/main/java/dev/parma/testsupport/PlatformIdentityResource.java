package dev.parma.testsupport;

import dev.parma.identity.IdentityDir;
import dev.parma.identity.Principal;
import io.restassured.RestAssured;
import io.restassured.config.SSLConfig;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Map;

/**
 * Gives the service under test its platform identity ({@code parma.identity.dir}) from the JVM's {@link TestPki},
 * and makes RestAssured present a caller's certificate and trust only the platform CA. Init args: {@code principal}
 * (the service's common name, e.g. {@code deployment-service}) and {@code caller} (whom the test's requests come
 * from; default the operator).
 */
public class PlatformIdentityResource implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {

    static final String PASSWORD = "test-only";

    private Principal principal;
    private Principal caller = TestPki.OPERATOR;

    @Override
    public void init(Map<String, String> initArgs) {
        principal = Principal.fromCommonName(initArgs.get("principal"));
        if (initArgs.containsKey("caller")) {
            caller = Principal.fromCommonName(initArgs.get("caller"));
        }
    }

    @Override
    public Map<String, String> start() {
        IdentityDir service = TestPki.identity(principal);
        useForRestAssured(TestPki.identity(caller));
        return Map.of("parma.identity.dir", service.path().toAbsolutePath().toString());
    }

    /** Makes RestAssured's requests come from {@code caller} and trust only the platform CA. */
    public static void useForRestAssured(IdentityDir caller) {
        Path keys = keyStore(caller);
        RestAssured.config = RestAssured.config().sslConfig(SSLConfig.sslConfig()
                .keyStore(keys.toString(), PASSWORD).trustStore(keys.toString(), PASSWORD).keystoreType("PKCS12")
                .trustStoreType("PKCS12"));
    }

    /** A PKCS#12 file with the caller's key and chain and the platform CA, for clients that want one. */
    public static Path keyStore(IdentityDir caller) {
        Path file = caller.path().resolve("restassured.p12");
        try {
            var ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            var tls = caller.tls();
            ks.setKeyEntry("identity", tls.key(), PASSWORD.toCharArray(), tls.chain().toArray(Certificate[]::new));
            ks.setCertificateEntry("platform-ca", caller.ca());
            try (var out = new FileOutputStream(file.toFile())) {
                ks.store(out, PASSWORD.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void stop() {
        // the PKI lives as long as the JVM
    }
}
