package dev.parma.snp;

import dev.parma.snp.abi.Product;
import dev.parma.snp.sim.SimAuthority;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Simulator authorities shared by all tests in the JVM: RSA-4096 key generation is the slow part. */
public final class SimFixtures {
    public static final Instant ROOTS_FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Map<Product, SimAuthority> AUTHORITIES = new EnumMap<>(Product.class);

    private SimFixtures() {
    }

    /** One authority per product; Milan also gets an ASVK so VLEK chains can be built. */
    public static synchronized SimAuthority authority(Product product) {
        return AUTHORITIES.computeIfAbsent(product, p -> SimAuthority.generate(p, ROOTS_FROM, p == Product.MILAN,
            new SecureRandom()));
    }
}
