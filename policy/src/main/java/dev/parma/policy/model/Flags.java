package dev.parma.policy.model;

/**
 * The policy-level {@code allow_*} flags. An absent flag reads as false: in the framework the dependent rule is then
 * never satisfied.
 */
public record Flags(boolean allowPropertiesAccess, boolean allowDumpStacks, boolean allowRuntimeLogging,
        boolean allowEnvironmentVariableDropping, boolean allowUnencryptedScratch, boolean allowCapabilityDropping,
        boolean allowHostNetwork) {

    public static final Flags NONE = new Flags(false, false, false, false, false, false, false);
    public static final Flags ALL = new Flags(true, true, true, true, true, true, true);
}
