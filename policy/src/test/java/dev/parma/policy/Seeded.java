package dev.parma.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Seeded property trials for plain JUnit 5 tests. The seed comes from system property {@code parma.seed} if set, else it
 * is random; it is chosen once per JVM (so one value replays every property test of a run), printed by
 * {@link #announce()}, and named in every failure through {@link #where(int)}. Each trial draws from its own
 * {@link SplittableRandom}, split in order from {@code new SplittableRandom(seed)}, so a run is fully determined by the
 * seed. Also holds small random generators shared by the property tests.
 */
public final class Seeded {

    public static final String PROPERTY = "parma.seed";

    private static final long SEED = chooseSeed();

    private Seeded() {
    }

    private static long chooseSeed() {
        String s = System.getProperty(PROPERTY);
        if (s != null && !s.isBlank()) {
            return Long.parseLong(s.trim());
        }
        return ThreadLocalRandom.current().nextLong();
    }

    public static long seed() {
        return SEED;
    }

    /** Prints the seed; call it from {@code @BeforeAll} of each property test class. */
    public static void announce() {
        System.out.println("property seed: " + SEED + " (replay with -D" + PROPERTY + "=" + SEED + ")");
    }

    /** The failure-message prefix that names the seed and the trial. */
    public static String where(int trial) {
        return "[seed " + SEED + ", trial " + trial + "; replay with -D" + PROPERTY + "=" + SEED + "] ";
    }

    /** One trial of a property: its random source and its index (for {@link #where(int)}). */
    @FunctionalInterface
    public interface Trial {
        void run(SplittableRandom random, int trial);
    }

    /**
     * Runs {@code trials} trials with the JVM's seed. An exception a trial throws (not an assertion failure, which
     * already names the seed) is turned into an {@link AssertionError} that names seed and trial.
     */
    public static void forAll(int trials, Trial body) {
        forAll(SEED, trials, body);
    }

    public static void forAll(long seed, int trials, Trial body) {
        SplittableRandom root = new SplittableRandom(seed);
        for (int i = 0; i < trials; i++) {
            SplittableRandom r = root.split();
            try {
                body.run(r, i);
            } catch (AssertionError e) {
                throw e;
            } catch (RuntimeException e) {
                throw new AssertionError(where(i) + "threw " + e, e);
            }
        }
    }

    // ---- generators: plain functions of a random source ----

    public static boolean bool(SplittableRandom r) {
        return r.nextBoolean();
    }

    /** Uniform in [min, max], both inclusive. */
    public static int between(SplittableRandom r, int min, int max) {
        return r.nextInt(min, max + 1);
    }

    @SafeVarargs
    public static <T> T oneOf(SplittableRandom r, T... values) {
        return values[r.nextInt(values.length)];
    }

    /** Picks one generator uniformly, then draws from it. */
    @SafeVarargs
    public static <T> T oneOfGen(SplittableRandom r, Function<SplittableRandom, T>... generators) {
        return generators[r.nextInt(generators.length)].apply(r);
    }

    /** A list of between {@code min} and {@code max} elements (size uniform). */
    public static <T> List<T> list(SplittableRandom r, int min, int max, Function<SplittableRandom, T> element) {
        int n = between(r, min, max);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(r));
        }
        return out;
    }

    /** A list of up to {@code max} elements whose {@code key}s are distinct. */
    public static <T, K> List<T> uniqueList(SplittableRandom r, int max, Function<SplittableRandom, T> element,
            Function<T, K> key) {
        int n = between(r, 0, max);
        List<T> out = new ArrayList<>(n);
        List<K> keys = new ArrayList<>(n);
        for (int attempts = 0; out.size() < n && attempts < 100 * (n + 1); attempts++) {
            T x = element.apply(r);
            if (!keys.contains(key.apply(x))) {
                keys.add(key.apply(x));
                out.add(x);
            }
        }
        return out;
    }

    /** A random subset (in the source order) of at least {@code minSize} elements, size uniform. */
    public static <T> List<T> subset(SplittableRandom r, List<T> from, int minSize) {
        List<T> shuffled = new ArrayList<>(from);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        List<T> chosen = shuffled.subList(0, between(r, minSize, from.size()));
        return from.stream().filter(chosen::contains).toList();
    }

    /** A string of {@code min}..{@code max} characters (length uniform) drawn from {@code chars}. */
    public static String string(SplittableRandom r, String chars, int min, int max) {
        int n = between(r, min, max);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    /** 1 to 8 lower-case letters. */
    public static String word(SplittableRandom r) {
        return string(r, "abcdefghijklmnopqrstuvwxyz", 1, 8);
    }
}
