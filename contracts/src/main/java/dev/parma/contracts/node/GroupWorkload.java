package dev.parma.contracts.node;

import java.util.List;
import java.util.Objects;

/**
 * What a node needs to run a group: the resource id (for events), the isolation, the containers, for confidential
 * groups the execution policy (base64, as the tenant sent it) and its HOST_DATA (hex), and the group's
 * {@code workload} tag (null if it has none), under which the node accounts the group's overhead, and the group's
 * volumes, which its containers mount by name.
 */
public record GroupWorkload(
        String resourceId,
        Isolation isolation,
        String restartPolicy,
        List<ContainerWorkload> containers,
        String ccePolicy,
        String hostData,
        String workload,
        List<Volume> volumes) {

    public GroupWorkload {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(isolation, "isolation");
        containers = List.copyOf(containers);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        if (containers.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one container");
        }
    }

    /** A workload without a {@code workload} tag (the form before the tag was carried). */
    public GroupWorkload(String resourceId, Isolation isolation, String restartPolicy,
            List<ContainerWorkload> containers, String ccePolicy, String hostData) {
        this(resourceId, isolation, restartPolicy, containers, ccePolicy, hostData, null, null);
    }

    /** A workload without volumes. */
    public GroupWorkload(String resourceId, Isolation isolation, String restartPolicy,
            List<ContainerWorkload> containers, String ccePolicy, String hostData, String workload) {
        this(resourceId, isolation, restartPolicy, containers, ccePolicy, hostData, workload, null);
    }

    /** The group volume of that name, if any. */
    public java.util.Optional<Volume> volume(String name) {
        return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Total requested vCPU, the unit nodes reserve capacity in. */
    public double requestedCpu() {
        return containers.stream().mapToDouble(ContainerWorkload::cpu).sum();
    }

    /** Total requested memory in GB. */
    public double requestedMemoryInGB() {
        return containers.stream().mapToDouble(ContainerWorkload::memoryInGB).sum();
    }

    /**
     * The name overhead is accounted under: the {@code workload} tag if set, else the first container's image
     * repository without registry host, tag or digest, and without Docker Hub's {@code library/}
     * ({@code busybox:1.36} → {@code busybox}).
     */
    public String workloadName() {
        return workload != null && !workload.isBlank() ? workload : imageRepository(containers.get(0).image());
    }

    /** An image reference's repository: {@code 127.0.0.1:5000/library/busybox@sha256:…} → {@code busybox}. */
    public static String imageRepository(String image) {
        String rest = image;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                rest = rest.substring(slash + 1);
            }
        }
        int at = rest.indexOf('@');
        if (at >= 0) {
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            rest = rest.substring(0, colon);
        }
        return rest.startsWith("library/") ? rest.substring("library/".length()) : rest;
    }
}
