package dev.parma.policy.generate;

import java.util.List;

import dev.parma.policy.Require;
import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.Semver;

/**
 * Generator switches; {@link #defaults()} are confcom's.
 *
 * @param debugMode adds shells as exec processes and allows dump_stacks and runtime logging
 * @param disableStdio containers' stdio goes to /dev/null
 */
public record GenerateOptions(Semver apiVersion, Semver frameworkVersion, List<FragmentRef> fragments,
        boolean debugMode, boolean allowEnvironmentVariableDropping, boolean allowCapabilityDropping,
        boolean disableStdio) {

    public GenerateOptions {
        Require.nonNull(apiVersion, "apiVersion");
        Require.nonNull(frameworkVersion, "frameworkVersion");
        fragments = Require.list(fragments, "fragments");
    }

    public static GenerateOptions defaults() {
        return new GenerateOptions(Semver.parse("0.11.0"), Semver.parse("0.2.3"),
                List.of(PlatformContract.INFRA_FRAGMENT), false, true, true, false);
    }

    public GenerateOptions withDebugMode(boolean d) {
        return new GenerateOptions(apiVersion, frameworkVersion, fragments, d, allowEnvironmentVariableDropping,
                allowCapabilityDropping, disableStdio);
    }

    public GenerateOptions withEnvDropping(boolean d) {
        return new GenerateOptions(apiVersion, frameworkVersion, fragments, debugMode, d, allowCapabilityDropping,
                disableStdio);
    }
}
