package dev.parma.contracts.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A workload's write-only values, apart from the workload: secure environment values by container and variable
 * name, and secret volume contents by volume and file name. The control plane sends them sealed
 * ({@link StartGroup#sealedSecrets()}); the node puts them back with {@link #fill} only in memory.
 */
public record WorkloadSecrets(Map<String, Map<String, String>> env, Map<String, Map<String, String>> volumes) {

    public WorkloadSecrets {
        env = env == null ? Map.of() : Map.copyOf(env);
        volumes = volumes == null ? Map.of() : Map.copyOf(volumes);
    }

    public static WorkloadSecrets of(GroupWorkload workload) {
        var env = new TreeMap<String, Map<String, String>>();
        for (var c : workload.containers()) {
            var secure = new TreeMap<String, String>();
            c.environmentVariables().stream().filter(EnvVar::secure).forEach(v -> secure.put(v.name(), v.value()));
            if (!secure.isEmpty()) {
                env.put(c.name(), secure);
            }
        }
        var volumes = new TreeMap<String, Map<String, String>>();
        workload.volumes().stream().filter(v -> v.kind() == Volume.Kind.SECRET && !v.secret().isEmpty())
                .forEach(v -> volumes.put(v.name(), v.secret()));
        return new WorkloadSecrets(env, volumes);
    }

    public boolean isEmpty() {
        return env.isEmpty() && volumes.isEmpty();
    }

    /** {@code workload} with every secure value and secret file content replaced by "" (names kept). */
    public static GroupWorkload withoutSecrets(GroupWorkload workload) {
        return replace(workload, new WorkloadSecrets(Map.of(), Map.of()), false);
    }

    /**
     * {@code stripped} with this object's values put back; throws if a secure variable or secret file has no value
     * here (a box for another workload).
     */
    public GroupWorkload fill(GroupWorkload stripped) {
        return replace(stripped, this, true);
    }

    private static GroupWorkload replace(GroupWorkload w, WorkloadSecrets from, boolean strict) {
        var containers = new ArrayList<ContainerWorkload>();
        for (var c : w.containers()) {
            var values = from.env.getOrDefault(c.name(), Map.of());
            List<EnvVar> env = c.environmentVariables().stream().map(v -> !v.secure()
                    ? v
                    : new EnvVar(v.name(), value(values, v.name(), strict, "secure value of " + c.name()), true))
                    .toList();
            containers.add(new ContainerWorkload(c.name(), c.image(), c.command(), env, c.cpu(), c.memoryInGB(),
                    c.ports(), c.volumeMounts(), c.securityContext(), c.liveness(), c.readiness()));
        }
        var volumes = w.volumes().stream().map(v -> {
            if (v.kind() != Volume.Kind.SECRET) {
                return v;
            }
            var values = from.volumes.getOrDefault(v.name(), Map.of());
            var files = new LinkedHashMap<String, String>();
            v.secret().keySet().forEach(f -> files.put(f, value(values, f, strict, "secret volume " + v.name())));
            return new Volume(v.name(), v.kind(), files);
        }).toList();
        return new GroupWorkload(w.resourceId(), w.isolation(), w.restartPolicy(), containers, w.ccePolicy(),
                w.hostData(), w.workload(), volumes);
    }

    private static String value(Map<String, String> values, String name, boolean strict, String what) {
        String v = values.get(name);
        if (v == null && strict) {
            throw new IllegalArgumentException("the sealed secrets carry no " + what + " '" + name + "'");
        }
        return v == null ? "" : v;
    }

    @Override
    public String toString() {
        return "WorkloadSecrets[<redacted>]";
    }
}
