package dev.parma.deployment.api;

import java.util.List;
import java.util.Map;

/**
 * The ARM container-group body a tenant PUTs (api-version 2025-09-01 shape, the fields we support so far).
 * Read-only properties (provisioningState, instanceView, …) in a request are ignored, as ARM does.
 */
public record ContainerGroupBody(String location, Map<String, String> tags, Properties properties) {

    public record Properties(
            String sku,
            List<Container> containers,
            String restartPolicy,
            String osType,
            ConfidentialComputeProperties confidentialComputeProperties) {
    }

    public record Container(String name, ContainerProperties properties) {
    }

    public record ContainerProperties(
            String image,
            List<String> command,
            List<Port> ports,
            List<EnvironmentVariable> environmentVariables,
            Resources resources) {
    }

    public record Port(Integer port, String protocol) {
    }

    /** secureValue is write-only: stored and sent to the node, never returned, logged or put in events. */
    public record EnvironmentVariable(String name, String value, String secureValue) {

        @Override
        public String toString() {
            return "EnvironmentVariable[name=" + name + ", value=" + value
                    + (secureValue == null ? "" : ", secureValue=<redacted>") + "]";
        }
    }

    public record Resources(ResourceValues requests, ResourceValues limits) {
    }

    public record ResourceValues(Double cpu, Double memoryInGB) {
    }

    public record ConfidentialComputeProperties(String ccePolicy) {
    }
}
