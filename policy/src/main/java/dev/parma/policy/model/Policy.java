package dev.parma.policy.model;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.parma.policy.Require;
import dev.parma.policy.digest.HostData;
import dev.parma.policy.rego.Value;

/**
 * An execution policy, immutable, together with the exact bytes it was read from (HOST_DATA is over those bytes).
 *
 * @param apiVersion {@code api_version} (or deprecated {@code api_svn}); empty if the policy has neither
 * @param frameworkVersion {@code framework_version} (or {@code framework_svn})
 * @param transparencyTrustLists {@code transparency_trust_lists}: the TTLs load_transparency_trust_list accepts
 * @param rules every enforcement point binding by rule name
 * @param reason the {@code reason} rule, if any
 * @param otherData any other {@code name := literal} binding, kept verbatim
 */
public record Policy(PolicyForm form, String packageName, List<String> imports, Optional<Semver> apiVersion,
        Optional<Semver> frameworkVersion, List<FragmentRef> fragments, List<Container> containers,
        List<ExternalProcess> externalProcesses, List<TransparencyTrustList> transparencyTrustLists, Flags flags,
        Map<String, RuleBinding> rules,
        Optional<ReasonRule> reason, Map<String, Value> otherData, byte[] source) {

    public Policy {
        Require.nonNull(form, "form");
        Require.nonNull(packageName, "packageName");
        imports = Require.list(imports, "imports");
        Require.nonNull(apiVersion, "apiVersion");
        Require.nonNull(frameworkVersion, "frameworkVersion");
        fragments = Require.list(fragments, "fragments");
        containers = Require.list(containers, "containers");
        externalProcesses = Require.list(externalProcesses, "externalProcesses");
        transparencyTrustLists = Require.list(transparencyTrustLists, "transparencyTrustLists");
        Require.nonNull(flags, "flags");
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        Require.nonNull(reason, "reason");
        otherData = Collections.unmodifiableMap(new LinkedHashMap<>(otherData));
        source = Require.nonNull(source, "source").clone();
    }

    /** The exact policy bytes (a copy). */
    @Override
    public byte[] source() {
        return source.clone();
    }

    public String sourceText() {
        return new String(source, StandardCharsets.UTF_8);
    }

    /** SHA-256 of the exact source bytes. */
    public HostData hostData() {
        return HostData.ofPolicyBytes(source);
    }

    public Optional<RuleBinding> rule(String name) {
        return Optional.ofNullable(rules.get(name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && java.util.Arrays.equals(source, p.source) && form == p.form;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(source);
    }

    @Override
    public String toString() {
        return "Policy[" + form + ", api " + apiVersion.map(Semver::toString).orElse("?") + ", framework "
                + frameworkVersion.map(Semver::toString).orElse("?") + ", " + containers.size() + " containers, "
                + rules.size() + " rules, HOST_DATA " + hostData().hex() + "]";
    }
}
