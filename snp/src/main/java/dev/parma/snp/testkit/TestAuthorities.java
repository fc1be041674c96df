package dev.parma.snp.testkit;

import dev.parma.snp.abi.Product;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.sim.UvmPublisher;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * One simulator authority per product (with ASK and ASVK), generated on first use and shared by every test in the
 * JVM: three RSA-4096 keys take a few seconds, so do not create authorities per test.
 */
public final class TestAuthorities {
    /** Simulated roots are valid from here for 25 years. */
    public static final Instant NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
    private static final Map<Product, SimAuthority> SHARED = new EnumMap<>(Product.class);
    private static UvmPublisher publisher;

    private TestAuthorities() {
    }

    public static synchronized SimAuthority shared(Product product) {
        return SHARED.computeIfAbsent(product, p -> SimAuthority.generate(p, NOT_BEFORE, true, new SecureRandom()));
    }

    /** One simulated UVM publisher (endorsement signer) per JVM, valid from {@link #NOT_BEFORE}. */
    public static synchronized UvmPublisher uvmPublisher() {
        if (publisher == null) {
            publisher = UvmPublisher.generate(NOT_BEFORE, new SecureRandom());
        }
        return publisher;
    }
}
