package dev.parma.deployment.group;

import dev.parma.contracts.node.ContainerPort;
import dev.parma.contracts.node.ContainerSecurity;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.EnvVar;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.Probe;
import dev.parma.contracts.node.Volume;
import dev.parma.contracts.node.VolumeMount;
import dev.parma.deployment.api.ContainerGroupBody;
import java.util.List;

/**
 * What a node is told to run for a group: its containers (image, command, environment with secure values, requests,
 * ports, volume mounts, security context, liveness and readiness probes), its volumes (secret contents included: the node must provide them), the
 * policy and HOST_DATA of a confidential group, and the {@code workload} tag its overhead is accounted under.
 */
final class NodeWorkloads {

    private NodeWorkloads() {
    }

    static GroupWorkload of(ContainerGroupEntity group) {
        var props = ContainerGroups.read(group.spec, ContainerGroupBody.Properties.class);
        List<ContainerWorkload> containers = props.containers().stream().map(c -> {
            var p = c.properties();
            var env = p.environmentVariables() == null
                    ? List.<EnvVar>of()
                    : p.environmentVariables().stream()
                            .map(v -> v.secureValue() != null
                                    ? new EnvVar(v.name(), v.secureValue(), true)
                                    : new EnvVar(v.name(), v.value() == null ? "" : v.value(), false))
                            .toList();
            return new ContainerWorkload(c.name(), p.image(), p.command(), env, p.resources().requests().cpu(),
                    p.resources().requests().memoryInGB(), ports(p.ports()), volumeMounts(p.volumeMounts()),
                    security(p.securityContext()), probe(p.livenessProbe()), probe(p.readinessProbe()));
        }).toList();
        boolean confidential = "Confidential".equals(props.sku());
        return new GroupWorkload(group.resourceId(), confidential ? Isolation.CONFIDENTIAL : Isolation.STANDARD,
                props.restartPolicy(), containers,
                confidential ? props.confidentialComputeProperties().ccePolicy() : null, group.hostData,
                workloadTag(group), volumes(props.volumes()));
    }

    private static List<ContainerPort> ports(List<ContainerGroupBody.Port> ports) {
        return ports == null
                ? List.of()
                : ports.stream().map(p -> new ContainerPort(p.port(), p.protocol())).toList();
    }

    private static List<VolumeMount> volumeMounts(List<ContainerGroupBody.VolumeMount> mounts) {
        return mounts == null
                ? List.of()
                : mounts.stream().map(m -> new VolumeMount(m.name(), m.mountPath(), Boolean.TRUE.equals(m
                        .readOnly()))).toList();
    }

    private static ContainerSecurity security(ContainerGroupBody.SecurityContext s) {
        if (s == null) {
            return null;
        }
        var caps = s.capabilities();
        return new ContainerSecurity(Boolean.TRUE.equals(s.privileged()),
                !Boolean.FALSE.equals(s.allowPrivilegeEscalation()), caps == null ? null : caps.add(),
                caps == null ? null : caps.drop(), s.runAsUser(), s.runAsGroup());
    }

    /** A probe with ACI's defaults for the timings left out; null if the container has none. */
    private static Probe probe(ContainerGroupBody.Probe p) {
        if (p == null) {
            return null;
        }
        Probe.Action action = p.exec() != null
                ? new Probe.Exec(p.exec().command())
                : new Probe.HttpGet(p.httpGet().path(), p.httpGet().port(), p.httpGet().scheme(),
                        p.httpGet().httpHeaders() == null
                                ? null
                                : p.httpGet().httpHeaders().stream()
                                        .map(h -> new Probe.Header(h.name(), h.value())).toList());
        return new Probe(action, orZero(p.initialDelaySeconds()), orZero(p.periodSeconds()),
                orZero(p.failureThreshold()), orZero(p.successThreshold()), orZero(p.timeoutSeconds()));
    }

    /** 0 stands for "left out": {@link Probe} puts ACI's default in its place. */
    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** The group's volumes with secret contents (base64, as the tenant sent them): the node must provide them. */
    private static List<Volume> volumes(List<ContainerGroupBody.Volume> volumes) {
        return volumes == null ? List.of() : volumes.stream().map(v -> {
            if (v.secret() != null) {
                return new Volume(v.name(), Volume.Kind.SECRET, v.secret());
            }
            if (v.azureFile() != null) {
                return new Volume(v.name(), Volume.Kind.AZURE_FILE, null);
            }
            if (v.gitRepo() != null) {
                return new Volume(v.name(), Volume.Kind.GIT_REPO, null);
            }
            return Volume.emptyDir(v.name());
        }).toList();
    }

    /** The group's {@code workload} tag (what the node accounts its overhead under), or null. */
    private static String workloadTag(ContainerGroupEntity group) {
        var tags = group.tagMap();
        return tags == null ? null : tags.get("workload");
    }
}
