package dev.parma.policy.engine;

import static dev.parma.policy.Fixtures.CONFCOM_FLAGS;
import static dev.parma.policy.Fixtures.cid;
import static dev.parma.policy.Fixtures.commit;
import static dev.parma.policy.Fixtures.container;
import static dev.parma.policy.Fixtures.create;
import static dev.parma.policy.Fixtures.hash;
import static dev.parma.policy.Fixtures.mountOverlay;
import static dev.parma.policy.Fixtures.policy;
import static dev.parma.policy.Fixtures.process;
import static dev.parma.policy.engine.Assertions2.allowed;
import static dev.parma.policy.engine.Assertions2.denied;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parma.policy.Anchors;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExecProcess;
import dev.parma.policy.model.ExternalProcess;
import dev.parma.policy.model.MatchStrategy;

/** §7 scenarios 48–54: exec_in_container, exec_external, shutdown_container, signal_container_process. */
class ProcessConformanceTest {

    static final String ID = cid(1);
    final Container x = container("x", hash(1)).allowStdio(false).exec(new ExecProcess(List.of("/bin/sh"), List.of(2)))
            .signals(9, 15).build();
    final PolicyEngine engine = PolicyEngine.load(policy(CONFCOM_FLAGS, x));

    private void start() {
        mountOverlay(engine, x, ID, 0);
        commit(engine.evaluate(create(x, ID)));
    }

    private Request.ExecInContainer exec(List<String> argv) {
        return new Request.ExecInContainer(ID, process(x).withArgList(argv));
    }

    @Test
    void exec_in_container_48_listedProcess_allowedWithCreateTimeStdio() {
        start();
        Decision.Allow a = allowed(engine.evaluate(exec(List.of("/bin/sh"))));
        assertThat(a.allowStdioAccess()).isFalse();
    }

    @Test
    void exec_in_container_49_notStarted_denied() {
        mountOverlay(engine, x, ID, 0);
        denied(engine.evaluate(exec(List.of("/bin/sh"))), "container not started");
    }

    @Test
    void exec_in_container_50_unlistedArgv_deniedInvalidCommand() {
        start();
        denied(engine.evaluate(exec(List.of("/bin/bash"))), "invalid command");
        denied(engine.evaluate(new Request.ExecInContainer(ID,
                process(x).withArgList(List.of("/bin/sh")).withWorkingDir("/tmp"))), "invalid working directory");
    }

    @Test
    void exec_external_51_listedExternalProcessAllowed_confcomPolicyDenied() {
        ExternalProcess ep = new ExternalProcess(List.of("ls", "-l", "/dev/mapper"),
                List.of(new EnvRule.Whole("PATH=/bin", MatchStrategy.STRING, true)), "/", true);
        PolicyEngine e = PolicyEngine.load(policy(CONFCOM_FLAGS, List.of(), List.of(x), List.of(ep)));
        Decision.Allow a = allowed(e.evaluate(new Request.ExecExternal(ep.command(), List.of("PATH=/bin"), "/")));
        assertThat(a.allowStdioAccess()).isTrue();
        denied(e.evaluate(new Request.ExecExternal(ep.command(), List.of("PATH=/bin"), "/tmp")),
                "invalid working directory");
        PolicyEngine confcom = PolicyEngine.load(Anchors.policy(Anchors.ENV_VARS));
        denied(confcom.evaluate(new Request.ExecExternal(List.of("ls"), List.of(), "/")), "invalid command");
    }

    @Test
    void shutdown_container_52_startedAllowed_unknownDenied() {
        start();
        commit(engine.evaluate(new Request.ShutdownContainer(ID)));
        assertThat(engine.state().matches()).doesNotContainKey(ID);
        assertThat(engine.state().started()).containsKey(ID); // an ID can never be re-created
        denied(engine.evaluate(new Request.ShutdownContainer(cid(2))), "container not started");
        denied(engine.evaluate(create(x, ID)), "container already started");
    }

    @Test
    void signal_container_process_53_initProcessSignals() {
        start();
        allowed(engine.evaluate(new Request.SignalContainerProcess(ID, 15, true, List.of())));
        denied(engine.evaluate(new Request.SignalContainerProcess(ID, 2, true, List.of())),
                "target isn't allowed to receive the signal");
    }

    @Test
    void signal_container_process_54_execProcessSignals() {
        start();
        allowed(engine.evaluate(new Request.SignalContainerProcess(ID, 2, false, List.of("/bin/sh"))));
        denied(engine.evaluate(new Request.SignalContainerProcess(ID, 2, false, List.of("/bin/bash"))),
                "target isn't allowed to receive the signal");
        denied(engine.evaluate(new Request.SignalContainerProcess(ID, 9, false, List.of("/bin/sh"))),
                "target isn't allowed to receive the signal");
    }
}
