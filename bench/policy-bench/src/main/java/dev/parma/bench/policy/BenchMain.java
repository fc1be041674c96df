package dev.parma.bench.policy;

/**
 * One command for all policy benchmarks: prints retained memory per loaded policy, then hands the arguments to JMH
 * (no arguments = every benchmark in this jar with its annotated settings).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : new String[]{BenchPolicies.ENV_VARS, BenchPolicies.SYNTHETIC_60}) {
            int copies = name.equals(BenchPolicies.ENV_VARS) ? 2000 : 200;
            long bytes = MemoryFootprint.bytesPerLoadedPolicy(name, copies);
            System.out.printf("memory per loaded policy [%s]: %,d bytes (policy text %,d bytes; %d copies)%n", name,
                    bytes, BenchPolicies.load(name).source().length, copies);
        }
        org.openjdk.jmh.Main.main(args);
    }
}
