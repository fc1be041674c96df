package dev.parma.deployment.api;

import static dev.parma.contracts.arm.ErrorCodes.CONTAINER_GROUP_WITHOUT_CONTAINERS;
import static dev.parma.contracts.arm.ErrorCodes.DUPLICATE_CONTAINER_NAME;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_CCE_POLICY;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_CONTAINER_NAME;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_PROPERTY_VALUE;
import static dev.parma.contracts.arm.ErrorCodes.INVALID_RESOURCE_NAME;
import static dev.parma.contracts.arm.ErrorCodes.MISSING_REQUIRED_PROPERTY;

import dev.parma.deployment.api.ContainerGroupBody.Container;
import dev.parma.deployment.api.ContainerGroupBody.EnvironmentVariable;
import dev.parma.deployment.api.ContainerGroupBody.Port;
import dev.parma.deployment.api.ContainerGroupBody.Probe;
import dev.parma.deployment.api.ContainerGroupBody.Volume;
import dev.parma.deployment.api.ContainerGroupBody.VolumeMount;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a container-group body against ACI's rules (naming, limits, references) and normalizes it: enum
 * values in any case become their canonical spelling, defaults are filled in. The first problem is reported
 * as a CloudError with ACI's code where ACI has one and the JSON path of the offending field.
 */
public final class ContainerGroupValidator {

    /** ACI: 1–63 lowercase alphanumerics and hyphens, not at either end. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** ACI: volume names 5–63 lowercase alphanumerics and hyphens, no "--" (we accept 1–63 like containers). */
    private static final Pattern VOLUME_NAME = Pattern.compile("(?!.*--)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_]{0,61}[A-Za-z0-9])?");

    public static final int MAX_CONTAINERS = 60;
    public static final int MAX_VOLUMES = 20;
    public static final int MAX_PORTS_PER_IP = 5;

    /** Per-group maxima by SKU (ACI's resource-and-quota-limits page). */
    record SkuLimits(double cpu, double memoryInGB) {
    }

    static final SkuLimits STANDARD = new SkuLimits(31, 240);
    static final SkuLimits CONFIDENTIAL = new SkuLimits(31, 180);

    private ContainerGroupValidator() {
    }

    public static void checkGroupName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw bad(INVALID_RESOURCE_NAME, "The container group name '" + name + "' is invalid: it must be 1 to 63"
                    + " lowercase letters, digits or '-', and must not start or end with '-'.", "name");
        }
    }

    /** Returns the body with casing normalized and defaults applied, or throws an {@link ArmException}. */
    public static ContainerGroupBody validate(ContainerGroupBody body) {
        if (body == null) {
            throw bad(MISSING_REQUIRED_PROPERTY, "The request body is empty.", null);
        }
        if (body.location() == null || body.location().isBlank()) {
            throw bad(MISSING_REQUIRED_PROPERTY, "The property 'location' is required.", "location");
        }
        var p = body.properties();
        if (p == null) {
            throw bad(MISSING_REQUIRED_PROPERTY, "The property 'properties' is required.", "properties");
        }
        if (p.containers() == null || p.containers().isEmpty()) {
            throw bad(CONTAINER_GROUP_WITHOUT_CONTAINERS,
                    "A container group needs at least one container in 'properties.containers'.",
                    "properties.containers");
        }
        if (p.containers().size() > MAX_CONTAINERS) {
            throw bad(INVALID_PROPERTY_VALUE, "A container group holds at most " + MAX_CONTAINERS
                    + " containers; this one has " + p.containers().size() + ".", "properties.containers");
        }
        String sku = oneOf(p.sku() == null ? "Standard" : p.sku(), "properties.sku", "Standard", "Confidential");
        String restart = oneOf(p.restartPolicy() == null ? "Always" : p.restartPolicy(), "properties.restartPolicy",
                "Always", "OnFailure", "Never");
        String os = oneOf(p.osType() == null ? "Linux" : p.osType(), "properties.osType", "Linux", "Windows");
        if (os.equals("Windows")) {
            throw bad("OsVersionNotSupported", "Windows container groups are not supported; use osType Linux.",
                    "properties.osType");
        }
        var volumes = volumes(p.volumes());
        var names = new HashSet<String>();
        var containers = new ArrayList<Container>();
        for (int i = 0; i < p.containers().size(); i++) {
            containers.add(container(p.containers().get(i), "properties.containers[" + i + "]", names, volumes));
        }
        var inits = new ArrayList<ContainerGroupBody.InitContainer>();
        if (p.initContainers() != null) {
            for (int i = 0; i < p.initContainers().size(); i++) {
                inits.add(initContainer(p.initContainers().get(i), "properties.initContainers[" + i + "]", names,
                        volumes));
            }
        }
        checkTotals(containers, "Confidential".equals(sku) ? CONFIDENTIAL : STANDARD, sku);
        var ip = ipAddress(p.ipAddress(), containers);
        if ("Confidential".equals(sku)) {
            checkCcePolicy(p.confidentialComputeProperties());
        }
        return new ContainerGroupBody(UsagesResource.normalize(body.location()), body.tags(),
                new ContainerGroupBody.Properties(sku, containers, inits.isEmpty() ? null : inits, restart, os,
                        p.volumes(), ip, "Confidential".equals(sku) ? p.confidentialComputeProperties() : null));
    }

    private static Set<String> volumes(List<Volume> volumes) {
        var names = new HashSet<String>();
        if (volumes == null) {
            return names;
        }
        if (volumes.size() > MAX_VOLUMES) {
            throw bad(INVALID_PROPERTY_VALUE, "A container group holds at most " + MAX_VOLUMES + " volumes; this one"
                    + " has " + volumes.size() + ".", "properties.volumes");
        }
        for (int i = 0; i < volumes.size(); i++) {
            var v = volumes.get(i);
            String path = "properties.volumes[" + i + "]";
            if (v == null || v.name() == null || !VOLUME_NAME.matcher(v.name()).matches()) {
                throw bad("InvalidVolumeName", "The volume name '" + (v == null ? null : v.name()) + "' is invalid:"
                        + " 1 to 63 lowercase letters, digits or '-', not at the ends, no '--'.", path + ".name");
            }
            if (!names.add(v.name())) {
                throw bad("DuplicateVolumeName", "The volume name '" + v.name() + "' is used more than once.",
                        path + ".name");
            }
            if (v.gitRepo() != null) {
                throw bad("VolumeTypeNotSupported", "Volume '" + v.name() + "': gitRepo volumes are not supported"
                        + " (ACI has deprecated them); use an init container.", path + ".gitRepo");
            }
            int kinds = (v.emptyDir() == null ? 0 : 1) + (v.secret() == null ? 0 : 1) + (v.azureFile() == null ? 0 : 1);
            if (kinds != 1) {
                throw bad("InvalidVolume", "Volume '" + v.name() + "' must have exactly one of emptyDir, secret or"
                        + " azureFile.", path);
            }
            if (v.azureFile() != null && (v.azureFile().get("shareName") == null
                    || v.azureFile().get("storageAccountName") == null)) {
                throw bad(MISSING_REQUIRED_PROPERTY, "Azure Files volume '" + v.name() + "' needs shareName and"
                        + " storageAccountName.", path + ".azureFile");
            }
            if (v.secret() != null) {
                for (var e : v.secret().entrySet()) {
                    try {
                        Base64.getDecoder().decode(e.getValue() == null ? "" : e.getValue());
                    } catch (IllegalArgumentException ex) {
                        throw bad(INVALID_PROPERTY_VALUE, "Secret volume '" + v.name() + "': the value of '"
                                + e.getKey() + "' is not valid base64.", path + ".secret." + e.getKey());
                    }
                }
            }
        }
        return names;
    }

    private static Container container(Container c, String path, Set<String> names, Set<String> volumes) {
        if (c == null) {
            throw bad(MISSING_REQUIRED_PROPERTY, "A container entry is null.", path);
        }
        checkContainerName(c.name(), path, names);
        var p = c.properties();
        if (p == null || p.image() == null || p.image().isBlank()) {
            throw bad(MISSING_REQUIRED_PROPERTY, "Container '" + c.name() + "' needs an image.",
                    path + ".properties.image");
        }
        var requests = p.resources() == null ? null : p.resources().requests();
        if (requests == null || requests.cpu() == null || requests.memoryInGB() == null) {
            throw bad(MISSING_REQUIRED_PROPERTY, "Container '" + c.name() + "' needs resources.requests with cpu and"
                    + " memoryInGB.", path + ".properties.resources.requests");
        }
        if (requests.cpu() <= 0 || requests.memoryInGB() <= 0) {
            throw bad(INVALID_PROPERTY_VALUE, "Container '" + c.name() + "' must request more than 0 cpu and"
                    + " memoryInGB.", path + ".properties.resources.requests");
        }
        var limits = p.resources().limits();
        if (limits != null && ((limits.cpu() != null && limits.cpu() <= 0)
                || (limits.memoryInGB() != null && limits.memoryInGB() <= 0))) {
            throw bad(INVALID_PROPERTY_VALUE, "Container '" + c.name() + "' has a limit of 0 or less.",
                    path + ".properties.resources.limits");
        }
        strings(p.command(), c.name(), path + ".properties.command");
        env(p.environmentVariables(), c.name(), path);
        mounts(p.volumeMounts(), c.name(), path, volumes);
        securityContext(p.securityContext(), c.name(), path + ".properties.securityContext");
        List<Port> ports = null;
        if (p.ports() != null) {
            ports = new ArrayList<>();
            for (int i = 0; i < p.ports().size(); i++) {
                ports.add(port(p.ports().get(i), path + ".properties.ports[" + i + "]"));
            }
        }
        probe(p.livenessProbe(), c.name(), path + ".properties.livenessProbe");
        probe(p.readinessProbe(), c.name(), path + ".properties.readinessProbe");
        return new Container(c.name(), new ContainerGroupBody.ContainerProperties(p.image(), p.command(), ports,
                p.environmentVariables(), p.resources(), p.volumeMounts(), p.livenessProbe(), p.readinessProbe(),
                p.securityContext()));
    }

    private static ContainerGroupBody.InitContainer initContainer(ContainerGroupBody.InitContainer c, String path,
            Set<String> names, Set<String> volumes) {
        if (c == null) {
            throw bad(MISSING_REQUIRED_PROPERTY, "An init container entry is null.", path);
        }
        checkContainerName(c.name(), path, names);
        if (c.properties() == null || c.properties().image() == null || c.properties().image().isBlank()) {
            throw bad(MISSING_REQUIRED_PROPERTY, "Init container '" + c.name() + "' needs an image.",
                    path + ".properties.image");
        }
        strings(c.properties().command(), c.name(), path + ".properties.command");
        env(c.properties().environmentVariables(), c.name(), path);
        mounts(c.properties().volumeMounts(), c.name(), path, volumes);
        securityContext(c.properties().securityContext(), c.name(), path + ".properties.securityContext");
        return c;
    }

    private static void checkContainerName(String name, String path, Set<String> names) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw bad(INVALID_CONTAINER_NAME, "The container name '" + name + "' is invalid: it must be 1 to 63"
                    + " lowercase letters, digits or '-', and must not start or end with '-'.", path + ".name");
        }
        if (!names.add(name)) {
            throw bad(DUPLICATE_CONTAINER_NAME, "The container name '" + name + "' is used more than once.",
                    path + ".name");
        }
    }

    private static void env(List<EnvironmentVariable> env, String container, String path) {
        if (env == null) {
            return;
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < env.size(); i++) {
            var v = env.get(i);
            String at = path + ".properties.environmentVariables[" + i + "]";
            if (v == null || v.name() == null || !ENV_NAME.matcher(v.name()).matches()) {
                throw bad(INVALID_PROPERTY_VALUE, "Environment variable name '" + (v == null ? null : v.name())
                        + "' in container '" + container + "' is invalid: 1 to 63 letters, digits or '_', not"
                        + " starting or ending with '_'.", at + ".name");
            }
            if (!seen.add(v.name().toUpperCase(Locale.ROOT))) {
                throw bad("DuplicateEnvironmentVariable", "Environment variable '" + v.name() + "' is set more than"
                        + " once in container '" + container + "'.", at + ".name");
            }
            if (v.value() != null && v.secureValue() != null) {
                throw bad(INVALID_PROPERTY_VALUE, "Environment variable '" + v.name() + "' in container '"
                        + container + "' has both value and secureValue; set one.", at);
            }
        }
    }

    private static void mounts(List<VolumeMount> mounts, String container, String path, Set<String> volumes) {
        if (mounts == null) {
            return;
        }
        var paths = new HashSet<String>();
        for (int i = 0; i < mounts.size(); i++) {
            var m = mounts.get(i);
            String at = path + ".properties.volumeMounts[" + i + "]";
            if (m == null || m.name() == null || !volumes.contains(m.name())) {
                throw bad("VolumeMountVolumeNotFound", "Container '" + container + "' mounts volume '"
                        + (m == null ? null : m.name()) + "', which the group does not define.", at + ".name");
            }
            if (m.mountPath() == null || !m.mountPath().startsWith("/") || m.mountPath().contains(":")) {
                throw bad("InvalidVolumeMountPath", "Container '" + container + "': mountPath '" + m.mountPath()
                        + "' must be an absolute path without ':'.", at + ".mountPath");
            }
            if (!paths.add(m.mountPath())) {
                throw bad("DuplicateVolumeMountPath", "Container '" + container + "' mounts two volumes at '"
                        + m.mountPath() + "'.", at + ".mountPath");
            }
        }
    }

    /** Exec-form argument lists: no null entries (they would reach the node as nothing at all). */
    private static void strings(List<String> values, String container, String path) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw bad(INVALID_PROPERTY_VALUE, "Container '" + container + "': entry " + i + " of " + path
                        + " is null; every entry must be a string.", path + "[" + i + "]");
            }
        }
    }

    private static void securityContext(ContainerGroupBody.SecurityContext s, String container, String path) {
        if (s == null || s.capabilities() == null) {
            return;
        }
        strings(s.capabilities().add(), container, path + ".capabilities.add");
        strings(s.capabilities().drop(), container, path + ".capabilities.drop");
        if (s.runAsUser() != null && s.runAsUser() < 0 || s.runAsGroup() != null && s.runAsGroup() < 0) {
            throw bad(INVALID_PROPERTY_VALUE, "Container '" + container + "': runAsUser and runAsGroup must not be"
                    + " negative.", path);
        }
    }

    private static Port port(Port p, String path) {
        if (p == null || p.port() == null || p.port() < 1 || p.port() > 65535) {
            throw bad("InvalidPort", "Ports must be between 1 and 65535; got " + (p == null ? null : p.port()) + ".",
                    path + ".port");
        }
        return new Port(p.port(), oneOf(p.protocol() == null ? "TCP" : p.protocol(), path + ".protocol", "TCP", "UDP"));
    }

    private static void probe(Probe probe, String container, String path) {
        if (probe == null) {
            return;
        }
        if ((probe.exec() == null) == (probe.httpGet() == null)) {
            throw bad("InvalidProbe", "A probe of container '" + container + "' needs exactly one of exec or"
                    + " httpGet.", path);
        }
        if (probe.exec() != null && (probe.exec().command() == null || probe.exec().command().isEmpty())) {
            throw bad("InvalidProbe", "An exec probe of container '" + container + "' needs a command.",
                    path + ".exec.command");
        }
        if (probe.exec() != null) {
            strings(probe.exec().command(), container, path + ".exec.command");
        }
        if (probe.httpGet() != null && (probe.httpGet().port() == null || probe.httpGet().port() < 1
                || probe.httpGet().port() > 65535)) {
            throw bad("InvalidProbe", "An httpGet probe of container '" + container + "' needs a port between 1 and"
                    + " 65535.", path + ".httpGet.port");
        }
        for (var n : new Integer[]{probe.initialDelaySeconds(), probe.periodSeconds(), probe.failureThreshold(),
                probe.successThreshold(), probe.timeoutSeconds()}) {
            if (n != null && n < 0) {
                throw bad("InvalidProbe", "Probe timings of container '" + container + "' must not be negative.",
                        path);
            }
        }
    }

    /** ACI: each container's limit must fit in the group's total request, and the group in the SKU's maximum. */
    private static void checkTotals(List<Container> containers, SkuLimits max, String sku) {
        double cpu = 0;
        double mem = 0;
        for (var c : containers) {
            cpu += c.properties().resources().requests().cpu();
            mem += c.properties().resources().requests().memoryInGB();
        }
        for (int i = 0; i < containers.size(); i++) {
            var c = containers.get(i);
            var limits = c.properties().resources().limits();
            String at = "properties.containers[" + i + "].properties.resources.limits";
            if (limits != null && limits.cpu() != null && limits.cpu() > cpu) {
                throw bad("ContainerLimitGreaterThanContainerGroupTotalRequest", "The 'Cpu' limit '" + limits.cpu()
                        + "' in container '" + c.name() + "' is greater than the total request '" + cpu
                        + "' of the container group.", at + ".cpu");
            }
            if (limits != null && limits.memoryInGB() != null && limits.memoryInGB() > mem) {
                throw bad("ContainerLimitGreaterThanContainerGroupTotalRequest", "The 'MemoryInGB' limit '"
                        + limits.memoryInGB() + "' in container '" + c.name() + "' is greater than the total request '"
                        + mem + "' of the container group.", at + ".memoryInGB");
            }
        }
        if (cpu > max.cpu() || mem > max.memoryInGB()) {
            throw bad("ContainerGroupResourcesExceedSkuMaximum", "A " + sku + " container group may request at most "
                    + max.cpu() + " CPU and " + max.memoryInGB() + " GB; this one requests " + cpu + " CPU and " + mem
                    + " GB.", "properties.containers");
        }
    }

    private static ContainerGroupBody.IpAddress ipAddress(ContainerGroupBody.IpAddress ip, List<Container> containers) {
        if (ip == null) {
            return null;
        }
        String type = oneOf(ip.type() == null ? "Public" : ip.type(), "properties.ipAddress.type", "Public",
                "Private");
        var ports = ip.ports() == null ? List.<Port>of() : ip.ports();
        if (ports.isEmpty() || ports.size() > MAX_PORTS_PER_IP) {
            throw bad(INVALID_PROPERTY_VALUE, "An IP address needs 1 to " + MAX_PORTS_PER_IP + " ports.",
                    "properties.ipAddress.ports");
        }
        var exposed = new HashSet<Integer>();
        containers.forEach(c -> {
            if (c.properties().ports() != null) {
                c.properties().ports().forEach(p -> exposed.add(p.port()));
            }
        });
        var normalized = new ArrayList<Port>();
        for (int i = 0; i < ports.size(); i++) {
            var p = port(ports.get(i), "properties.ipAddress.ports[" + i + "]");
            if (!exposed.contains(p.port())) {
                throw bad("InvalidIpAddressPort", "Port " + p.port() + " of the group's IP address is not exposed by"
                        + " any container.", "properties.ipAddress.ports[" + i + "].port");
            }
            normalized.add(p);
        }
        return new ContainerGroupBody.IpAddress(normalized, type, ip.ip(), ip.dnsNameLabel());
    }

    private static void checkCcePolicy(ContainerGroupBody.ConfidentialComputeProperties ccp) {
        // Our semantics (ACI is inconsistent here): a Confidential group must carry a non-empty policy.
        // An allow-all policy must be sent explicitly, so a tenant never gets one by omission.
        String target = "properties.confidentialComputeProperties.ccePolicy";
        if (ccp == null || ccp.ccePolicy() == null || ccp.ccePolicy().isBlank()) {
            throw bad(INVALID_CCE_POLICY, "The CCE Policy cannot be left empty for Confidential Container Groups.",
                    target);
        }
        try {
            Base64.getDecoder().decode(ccp.ccePolicy().trim());
        } catch (IllegalArgumentException e) {
            throw bad(INVALID_CCE_POLICY, "The CCE Policy is not valid base64: " + e.getMessage(), target);
        }
    }

    /** ARM tolerates enum values in any case; we store the canonical spelling. */
    private static String oneOf(String value, String target, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw bad(INVALID_PROPERTY_VALUE, "The value '" + value + "' of '" + target + "' is not one of "
                + String.join(", ", allowed) + ".", target);
    }

    private static ArmException bad(String code, String message, String target) {
        return ArmException.badRequest(code, message, target);
    }
}
