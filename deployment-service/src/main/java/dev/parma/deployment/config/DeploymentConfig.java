package dev.parma.deployment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the deployment service. */
@ConfigMapping(prefix = "parma.deployment")
public interface DeploymentConfig {

    /** A node whose last heartbeat is older than this gets no new groups. */
    @WithDefault("30s")
    Duration nodeLiveness();

    /** Seconds a client should wait between polls of a long-running operation (Retry-After). */
    @WithDefault("2")
    int retryAfterSeconds();
}
