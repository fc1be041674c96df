package dev.parma.deployment.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The ARM container-group body a tenant PUTs (api-version 2025-09-01 shape, for the fields we support).
 * Read-only properties in a request (provisioningState, instanceView, …) are ignored, as ARM does. Unknown
 * properties are ignored too, so bodies written for newer API versions still deploy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerGroupBody(String location, Map<String, String> tags, Properties properties) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(
            String sku,
            List<Container> containers,
            List<InitContainer> initContainers,
            String restartPolicy,
            String osType,
            List<Volume> volumes,
            IpAddress ipAddress,
            ConfidentialComputeProperties confidentialComputeProperties) {
    }

    public record Container(String name, ContainerProperties properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContainerProperties(
            String image,
            List<String> command,
            List<Port> ports,
            List<EnvironmentVariable> environmentVariables,
            Resources resources,
            List<VolumeMount> volumeMounts,
            Probe livenessProbe,
            Probe readinessProbe,
            SecurityContext securityContext) {
    }

    public record InitContainer(String name, InitContainerProperties properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InitContainerProperties(
            String image,
            List<String> command,
            List<EnvironmentVariable> environmentVariables,
            List<VolumeMount> volumeMounts,
            SecurityContext securityContext) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Port(Integer port, String protocol) {
    }

    /** secureValue is write-only: stored and sent to the node, never returned, logged or put in events. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentVariable(String name, String value, String secureValue) {

        @Override
        public String toString() {
            return "EnvironmentVariable[name=" + name + ", value=" + value
                    + (secureValue == null ? "" : ", secureValue=<redacted>") + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(ResourceValues requests, ResourceValues limits) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResourceValues(Double cpu, Double memoryInGB) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VolumeMount(String name, String mountPath, Boolean readOnly) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Probe(ExecAction exec, HttpGet httpGet, Integer initialDelaySeconds, Integer periodSeconds,
            Integer failureThreshold, Integer successThreshold, Integer timeoutSeconds) {
    }

    public record ExecAction(List<String> command) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpGet(String path, Integer port, String scheme, List<HttpHeader> httpHeaders) {
    }

    public record HttpHeader(String name, String value) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SecurityContext(Boolean privileged, Boolean allowPrivilegeEscalation, Capabilities capabilities,
            Long runAsUser, Long runAsGroup, String seccompProfile) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capabilities(List<String> add, List<String> drop) {
    }

    /**
     * A volume: exactly one of emptyDir, secret or azureFile (git repos are not offered). Secret file contents and
     * the storage account key are write-only, like secure environment values.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Volume(String name, Map<String, Object> emptyDir, Map<String, String> secret,
            Map<String, Object> azureFile, Map<String, Object> gitRepo) {

        @Override
        public String toString() {
            return "Volume[name=" + name + (secret != null
                    ? ", secret=" + secret.keySet()
                    : azureFile != null ? ", azureFile=" + azureFile.get("shareName") : ", emptyDir") + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IpAddress(List<Port> ports, String type, String ip, String dnsNameLabel) {
    }

    public record ConfidentialComputeProperties(String ccePolicy) {
    }
}
