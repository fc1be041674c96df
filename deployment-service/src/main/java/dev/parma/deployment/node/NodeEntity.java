package dev.parma.deployment.node;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A node as its heartbeats describe it: capacity, use, SNP capability and TCB, and when it was last heard. */
@Entity
@Table(name = "nodes")
public class NodeEntity extends PanacheEntityBase {

    @Id
    public String id;
    public String driver;
    public boolean snp;
    @Column(name = "cpu_capacity")
    public double cpuCapacity;
    @Column(name = "memory_capacity")
    public double memoryCapacity;
    /** Whether the node's secure processor is the software one (sim driver) rather than AMD hardware. */
    public boolean simulated;
    /** The node's reported TCB (hex of TCB_VERSION), null without SNP. */
    public String tcb;
    /** What the node says its groups use (the control plane reserves by requests; this is for operators). */
    @Column(name = "cpu_used")
    public double cpuUsed;
    @Column(name = "memory_used")
    public double memoryUsed;
    /** What the control plane reserved here: the requests of the groups placed on this node. */
    @Column(name = "cpu_reserved")
    public double cpuReserved;
    @Column(name = "memory_reserved")
    public double memoryReserved;
    @Column(name = "last_seen")
    public Instant lastSeen;
    /** The node agent's HTTP base URL (container logs), from its heartbeat; null for agents that do not say. */
    public String endpoint;
    /** The certificate (PEM) its secrets are sealed to, verified to name this node; null: nothing is placed here. */
    @Column(name = "sealing_certificate")
    public String sealingCertificate;
    /** When the control plane declared the node lost and moved its groups; null while it is not lost. */
    @Column(name = "lost_at")
    public Instant lostAt;
}
