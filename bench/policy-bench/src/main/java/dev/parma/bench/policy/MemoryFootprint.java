package dev.parma.bench.policy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

import dev.parma.policy.engine.PolicyEngine;
import dev.parma.policy.model.Policy;

/**
 * Retained heap per loaded policy: parse the same text many times, keep the engines, and divide the heap growth
 * after full GCs. Includes the policy's source bytes, model, and the engine's indexes.
 */
final class MemoryFootprint {

    private MemoryFootprint() {
    }

    static long bytesPerLoadedPolicy(String name, int copies) {
        Policy template = BenchPolicies.load(name);
        byte[] source = template.source();
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        List<PolicyEngine> keep = new ArrayList<>(copies);
        long before = used(mx);
        for (int i = 0; i < copies; i++) {
            keep.add(PolicyEngine.load(dev.parma.policy.model.Policies.fromBytes(source)));
        }
        long after = used(mx);
        if (keep.size() != copies) {
            throw new IllegalStateException();
        }
        return (after - before) / copies;
    }

    private static long used(MemoryMXBean mx) {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return mx.getHeapMemoryUsage().getUsed();
    }
}
