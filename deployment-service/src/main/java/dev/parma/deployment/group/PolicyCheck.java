package dev.parma.deployment.group;

import dev.parma.contracts.arm.CloudError.CloudErrorBody;
import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.deployment.api.ArmException;
import dev.parma.deployment.api.ContainerGroupBody;
import dev.parma.deployment.api.ContainerGroupBody.EnvironmentVariable;
import dev.parma.deployment.api.ContainerGroupBody.Volume;
import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;
import dev.parma.policy.preflight.Preflight;
import dev.parma.policy.rego.PolicySyntaxException;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.EnvVar;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.SecurityContext;
import dev.parma.policy.spec.VolumeMount;
import dev.parma.policy.spec.VolumeMount.VolumeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The confidential group's execution policy, checked by the policy library before anything is scheduled: it must
 * parse (else the PUT is refused), and every container must be one the policy would let the guest create (else
 * the group fails at once, naming the container, field and reason — no VM ever starts for it).
 */
final class PolicyCheck {

    static final String TARGET = "properties.confidentialComputeProperties.ccePolicy";

    private PolicyCheck() {
    }

    /** Parses the base64 policy, or refuses the request with the line and column of the problem. */
    static Policy parse(String ccePolicy) {
        try {
            return Policies.fromBase64(ccePolicy.trim());
        } catch (PolicySyntaxException e) {
            throw ArmException.badRequest(ErrorCodes.INVALID_CCE_POLICY, "The CCE policy is not a policy we can"
                    + " enforce: " + e.getMessage(), TARGET);
        } catch (IllegalArgumentException e) {
            throw ArmException.badRequest(ErrorCodes.INVALID_CCE_POLICY, "The CCE policy is invalid: "
                    + e.getMessage(), TARGET);
        }
    }

    /** One reason pre-flight denies a container ({@code field: detail}), and the error detail the tenant gets. */
    record Problem(String container, String reason, CloudErrorBody error) {
    }

    /**
     * What pre-flight found: one problem per reason a container would be denied (none when every container is
     * allowed), and notes a tenant should see even when it is allowed (e.g. variables the guest will drop). Reasons
     * name environment variables, never their values: secure values are not even given to pre-flight.
     */
    record Result(List<Problem> problems, List<String> notes) {
    }

    static Result preflight(Policy policy, ContainerGroupBody.Properties props) {
        var report = Preflight.check(policy, groupSpec(props), Map.of());
        var problems = new ArrayList<Problem>();
        var notes = new ArrayList<String>();
        var containers = report.containers();
        for (int i = 0; i < containers.size(); i++) {
            var verdict = containers.get(i);
            // Image data is not fetched by the control plane (the guest checks layers itself), so that note
            // would be on every group; the others tell the tenant something about this group.
            verdict.notes().stream().filter(n -> !n.startsWith("no image data"))
                    .forEach(n -> notes.add("Container '" + verdict.container() + "': " + n));
            if (verdict.allowed()) {
                continue;
            }
            String name = verdict.container();
            String target = target(props, name);
            if (verdict.problems().isEmpty()) {
                problems.add(new Problem(name, "denied by the execution policy", new CloudErrorBody(
                        "ContainerNotAllowedByPolicy", "Container '" + name + "' would be denied by the execution"
                                + " policy.",
                        target, null)));
            }
            for (var p : verdict.problems()) {
                String reason = p.field() + ": " + p.detail();
                problems.add(new Problem(name, reason, new CloudErrorBody("ContainerNotAllowedByPolicy", "Container '"
                        + name + "' would be denied by the execution policy" + verdict.closestPolicyContainer()
                                .map(c -> " (closest policy container: " + c + ")").orElse("")
                        + ": " + reason, target + "." + p.field(), null)));
            }
        }
        return new Result(problems, notes);
    }

    private static String target(ContainerGroupBody.Properties props, String name) {
        for (int i = 0; i < props.containers().size(); i++) {
            if (props.containers().get(i).name().equals(name)) {
                return "properties.containers[" + i + "]";
            }
        }
        var inits = props.initContainers() == null
                ? List.<ContainerGroupBody.InitContainer>of()
                : props.initContainers();
        for (int i = 0; i < inits.size(); i++) {
            if (inits.get(i).name().equals(name)) {
                return "properties.initContainers[" + i + "]";
            }
        }
        return "properties.containers";
    }

    /** The ARM group as the policy library sees it: init containers first, as the guest creates them. */
    static GroupSpec groupSpec(ContainerGroupBody.Properties props) {
        var specs = new ArrayList<ContainerSpec>();
        if (props.initContainers() != null) {
            for (var c : props.initContainers()) {
                var p = c.properties();
                specs.add(new ContainerSpec(c.name(), p.image(), Optional.ofNullable(p.command()), env(p
                        .environmentVariables()), mounts(p.volumeMounts(), props.volumes()), security(
                                p
                                        .securityContext()),
                        Optional.empty(), List.of()));
            }
        }
        for (var c : props.containers()) {
            var p = c.properties();
            var exec = Stream.of(p.livenessProbe(), p.readinessProbe())
                    .filter(pr -> pr != null && pr.exec() != null).map(pr -> pr.exec().command()).toList();
            specs.add(new ContainerSpec(c.name(), p.image(), Optional.ofNullable(p.command()),
                    env(p.environmentVariables()), mounts(p.volumeMounts(), props.volumes()),
                    security(p.securityContext()), Optional.empty(), exec));
        }
        return new GroupSpec(specs);
    }

    private static List<EnvVar> env(List<EnvironmentVariable> env) {
        if (env == null) {
            return List.of();
        }
        return env.stream().map(v -> v.secureValue() != null
                ? EnvVar.secure(v.name())
                : EnvVar.plain(v.name(), v.value() == null ? "" : v.value())).toList();
    }

    private static List<VolumeMount> mounts(List<ContainerGroupBody.VolumeMount> mounts, List<Volume> volumes) {
        if (mounts == null) {
            return List.of();
        }
        return mounts.stream().map(m -> new VolumeMount(m.name(), kind(m.name(), volumes), m.mountPath(),
                Boolean.TRUE.equals(m.readOnly()))).toList();
    }

    private static VolumeKind kind(String name, List<Volume> volumes) {
        var v = volumes.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        if (v.secret() != null) {
            return VolumeKind.SECRET;
        }
        if (v.azureFile() != null) {
            return VolumeKind.AZURE_FILE;
        }
        return VolumeKind.EMPTY_DIR;
    }

    private static SecurityContext security(ContainerGroupBody.SecurityContext s) {
        if (s == null) {
            return SecurityContext.DEFAULT;
        }
        var caps = s.capabilities();
        return new SecurityContext(Boolean.TRUE.equals(s.privileged()),
                caps == null || caps.add() == null ? List.of() : caps.add(),
                caps == null || caps.drop() == null ? List.of() : caps.drop(), Optional.ofNullable(s.runAsUser()),
                Optional.ofNullable(s.runAsGroup()), !Boolean.FALSE.equals(s.allowPrivilegeEscalation()));
    }
}
