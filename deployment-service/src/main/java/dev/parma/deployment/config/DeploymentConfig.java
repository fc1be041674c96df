package dev.parma.deployment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the deployment service. */
@ConfigMapping(prefix = "parma.deployment")
public interface DeploymentConfig {

    /** A node whose last heartbeat is older than this gets no new groups, and its groups are moved. */
    @WithDefault("30s")
    Duration nodeLiveness();

    /** Seconds a client should wait between polls of a long-running operation (Retry-After). */
    @WithDefault("2")
    int retryAfterSeconds();

    /**
     * Seconds in the Retry-After of a 503 (the database, the broker or a node unavailable): long enough for a failover
     * or restart, short enough that a retrying client resumes soon after it.
     */
    @WithDefault("5")
    int unavailableRetryAfterSeconds();

    /** A group still provisioning after this long fails (ACI: 30 minutes). */
    @WithDefault("30m")
    Duration provisioningTimeout();

    /** Usage of running groups is published at least this often (and at every stop). */
    @WithDefault("60s")
    Duration billingInterval();

    /** How often waiting groups are placed, lost nodes detected (read by the scheduler, e.g. "5s"). */
    @WithDefault("5s")
    String reconcileEvery();

    /** How often the billing sweep looks for groups due a usage event (e.g. "10s"). */
    @WithDefault("10s")
    String billingSweep();

    /** Policy denials are kept this long after they happened (also after their group is deleted), then purged. */
    @WithDefault("P30D")
    Duration denialRetention();

    /** Page size of list operations (nextLink continues). */
    @WithDefault("100")
    int pageSize();

    /**
     * AES-256 key (base64) sealing the write-only values of stored groups. From a secret store; never kept in the
     * database it protects.
     */
    String masterKey();

    /** How the outbox relay behaves while Kafka or the database is away. */
    Outbox outbox();

    interface Outbox {
        /** Pause after the first failed publish; it doubles after each further failure. */
        @WithDefault("500ms")
        Duration retryInitial();

        /** Longest pause between attempts: also the longest wait, after the broker returns, before the relay resumes. */
        @WithDefault("10s")
        Duration retryMax();

        /** Longest wait for Kafka's acknowledgement of a batch (Kafka's delivery timeout answers sooner). */
        @WithDefault("60s")
        Duration ackTimeout();
    }

    /** How nodes are judged lost (issue 14). */
    Liveness liveness();

    interface Liveness {
        /**
         * Nodes are judged only this long after the heartbeat consumer caught up (after a restart, rebalance or
         * stall), so every live node has had a window of heartbeats in front of this instance.
         */
        @WithDefault("30s")
        Duration grace();

        /** At most this share of the nodes holding groups is declared lost at once (at least one); more trips. */
        @WithDefault("0.5")
        double maxLostShare();
    }

    /** Default quota limits per subscription and region; admins override them per subscription. */
    Quota quota();

    interface Quota {
        /** vCPUs of Standard groups. */
        @WithDefault("100")
        double standardCores();

        /** Number of Standard groups. */
        @WithDefault("100")
        double standardContainerGroups();

        /** vCPUs of Confidential groups. */
        @WithDefault("100")
        double confidentialCores();

        /** Number of Confidential groups. */
        @WithDefault("100")
        double confidentialContainerGroups();
    }
}
