package dev.parma.identity;

import java.util.Arrays;
import java.util.Optional;

/** The platform's services, by the name their certificates carry. */
public enum ServiceName {
    // @formatter:off
    API_GATEWAY("api-gateway"),
    DEPLOYMENT_SERVICE("deployment-service"),
    ATTESTATION_SERVICE("attestation-service"),
    KAFKA_BROKER("kafka-broker"),
    /** The metrics scraper: may read /q/metrics and nothing else. */
    PROMETHEUS("prometheus");
    // @formatter:on

    private final String id;

    ServiceName(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<ServiceName> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
