package dev.parma.testsupport;

import dev.parma.identity.IdentityDir;
import dev.parma.identity.Pki;
import dev.parma.identity.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One platform PKI per test JVM, so the broker, the service under test and the test's own clients share a CA. Its
 * directory is remembered in a system property: test resources and tests may be loaded by different class loaders,
 * and both must see the same CA.
 */
public final class TestPki {

    /** The operator identity tests act as on Kafka (a super user of the test broker) and on internal APIs. */
    public static final Principal OPERATOR = Principal.operator("parma");

    private static final String PROPERTY = "parma.test.pki";
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

    private TestPki() {
    }

    public static synchronized Pki get() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("parma-test-pki-").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(PROPERTY, dir);
        }
        return Pki.at(Path.of(dir));
    }

    /** {@code principal}'s identity directory, enrolled on first use, valid for loopback. */
    public static synchronized IdentityDir identity(Principal principal) {
        return get().ensure(principal, LOOPBACK);
    }

    public static IdentityDir operator() {
        return identity(OPERATOR);
    }
}
