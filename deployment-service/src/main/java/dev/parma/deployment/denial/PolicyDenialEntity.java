package dev.parma.deployment.denial;

import dev.parma.contracts.events.PolicyDenial;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored policy denial ({@link PolicyDenial}); rows are written by {@link DenialLog} only. */
@Entity
@Table(name = "policy_denials")
public class PolicyDenialEntity extends PanacheEntityBase {

    /** The idempotency key, also the id of the denial's CloudEvent. */
    @Id
    public String id;
    @Column(name = "denied_at")
    public Instant deniedAt;
    @Column(name = "subscription_id")
    public String subscriptionId;
    @Column(name = "resource_id")
    public String resourceId;
    @Column(name = "group_id")
    public String groupId;
    public String container;
    @Column(name = "enforcement_point")
    public String enforcementPoint;
    public String reason;
    /** {@link PolicyDenial.Source#wire()}. */
    public String source;
    @Column(name = "node_id")
    public String nodeId;
}
