package dev.parma.deployment.node;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A node as its heartbeats describe it. */
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
    @Column(name = "last_seen")
    public Instant lastSeen;
}
