package dev.parma.bench.policy;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.parma.policy.engine.Decision;
import dev.parma.policy.engine.PolicyEngine;
import dev.parma.policy.engine.Request;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.Policy;

/**
 * Decision latency (sample time: JMH reports p50/p99) of create_container, exec_in_container and mount_device. The
 * decisions are evaluated but not committed, so every invocation sees the same state.
 *
 * <p>
 * On the real confcom environment-variables policy the user container has {@code command: null} (matches nothing) and
 * no exec processes, so create_container is measured on its pause container (allowed) and exec_in_container measures
 * the deny path (report built and redacted). On the synthetic 60-container policy all three are allowed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBench {

    @Param({BenchPolicies.ENV_VARS, BenchPolicies.SYNTHETIC_60})
    public String policy;

    PolicyEngine engine;
    Request.CreateContainer create;
    Request.ExecInContainer exec;
    Request.MountDevice mount;

    @Setup
    public void setup() {
        Policy p = BenchPolicies.load(policy);
        engine = PolicyEngine.load(p);
        List<Container> cs = p.containers();
        Container target = policy.equals(BenchPolicies.ENV_VARS) ? cs.get(cs.size() - 1) : cs.get(cs.size() / 2);
        String created = "c".repeat(64);
        String started = "d".repeat(64);
        BenchPolicies.mountOverlay(engine, target, created, 0);
        BenchPolicies.mountOverlay(engine, target, started, 100);
        BenchPolicies.allow(engine.evaluate(BenchPolicies.create(target, started))).commit();
        create = BenchPolicies.create(target, created);
        List<String> execArgv = target.execProcesses().isEmpty()
                ? List.of("/bin/sh")
                : target.execProcesses().get(0).command();
        exec = new Request.ExecInContainer(started, create.process().withArgList(execArgv));
        mount = new Request.MountDevice("/run/mounts/scsi/m999", target.layers().get(0));
        BenchPolicies.allow(engine.evaluate(create));
        BenchPolicies.allow(engine.evaluate(mount));
        boolean execAllowed = engine.evaluate(exec).allowed();
        if (execAllowed != policy.equals(BenchPolicies.SYNTHETIC_60)) {
            throw new IllegalStateException("unexpected exec decision for " + policy);
        }
    }

    @Benchmark
    public Decision createContainer() {
        return engine.evaluate(create);
    }

    @Benchmark
    public Decision execInContainer() {
        return engine.evaluate(exec);
    }

    @Benchmark
    public Decision mountDevice() {
        return engine.evaluate(mount);
    }
}
