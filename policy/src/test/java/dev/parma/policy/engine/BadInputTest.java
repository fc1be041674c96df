package dev.parma.policy.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parma.policy.model.Policies;
import dev.parma.policy.preflight.Preflight;
import dev.parma.policy.spec.GroupSpec;

/** Missing or null arguments are precise IllegalArgumentExceptions naming the parameter, never an NPE. */
class BadInputTest {

    @Test
    void nullsAreNamed() {
        PolicyEngine e = PolicyEngine.load(OpenDoor.policy());
        assertThatThrownBy(() -> e.evaluate(null)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("request must not be null");
        assertThatThrownBy(() -> new Request.MountOverlay("id", null, "/t"))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("layerPaths must not be null");
        assertThatThrownBy(() -> new Request.ExecExternal(Arrays.asList("sh", null), List.of(), "/"))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("argList[1] must not be null");
        assertThatThrownBy(() -> new Request.MountDevice(null, "h"))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("target must not be null");
        assertThatThrownBy(() -> PolicyEngine.load(null)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Policies.fromBytes(null)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Preflight.check(OpenDoor.policy(), null, java.util.Map.of()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("group must not be null");
        assertThatThrownBy(() -> new GroupSpec(null)).isExactlyInstanceOf(IllegalArgumentException.class);
    }
}
