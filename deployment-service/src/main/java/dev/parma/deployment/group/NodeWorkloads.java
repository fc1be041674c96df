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
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.StartGroup;
import dev.parma.contracts.node.WorkloadSecrets;
import dev.parma.deployment.node.NodeEntity;
import dev.parma.identity.Pem;
import dev.parma.identity.SealedBox;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * What a node is told to run for a group: its containers (image, command, environment with secure values, requests,
 * ports, volume mounts, security context, liveness and readiness probes), its volumes (secret contents included: the node must provide them), the
 * policy and HOST_DATA of a confidential group, and the {@code workload} tag its overhead is accounted under.
 */
final class NodeWorkloads {

    private NodeWorkloads() {
    }

    /**
     * The command that starts {@code group}'s current generation on {@code nodeId}: the workload without its
     * write-only values, and those sealed to the node's verified sealing certificate (placement only picks nodes
     * that have one).
     */
    static StartGroup command(ContainerGroupEntity group, String nodeId) {
        var workload = of(group);
        var secrets = WorkloadSecrets.of(workload);
        var command = new StartGroup(UUID.randomUUID().toString(), group.id, group.generation,
                WorkloadSecrets.withoutSecrets(workload));
        if (secrets.isEmpty()) {
            return command;
        }
        NodeEntity node = NodeEntity.findById(nodeId);
        if (node == null || node.sealingCertificate == null) {
            throw new IllegalStateException("node " + nodeId + " has no sealing certificate");
        }
        byte[] plain;
        try {
            plain = Json.mapper().writeValueAsBytes(secrets);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a group's secrets", e);
        }
        String sealed = SealedBox.seal(plain, Pem.certificates(node.sealingCertificate).get(0), command.sealBinding());
        Arrays.fill(plain, (byte) 0);
        return new StartGroup(command.commandId(), command.groupId(), command.generation(), command.workload(),
                sealed);
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
