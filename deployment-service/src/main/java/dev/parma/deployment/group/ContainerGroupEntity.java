package dev.parma.deployment.group;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** A container group row. {@code spec} is the validated ARM body (JSON); {@code instanceView} the node's view. */
@Entity
@Table(name = "container_groups")
public class ContainerGroupEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "subscription_id")
    public String subscriptionId;
    @Column(name = "resource_group")
    public String resourceGroup;
    @Column(name = "resource_group_key")
    public String resourceGroupKey;
    public String name;
    public String location;
    public String sku;
    public String spec;
    public String tags;
    @Column(name = "host_data")
    public String hostData;
    @Enumerated(EnumType.STRING)
    @Column(name = "provisioning_state")
    public ProvisioningState provisioningState;
    @Column(name = "instance_view")
    public String instanceView;
    @Column(name = "node_id")
    public String nodeId;
    public long generation;
    @Column(name = "requested_cpu")
    public double requestedCpu;
    @Column(name = "requested_memory")
    public double requestedMemory;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<ContainerGroupEntity> findByName(String subscriptionId, String resourceGroup, String name) {
        return find("subscriptionId = ?1 and resourceGroupKey = ?2 and name = ?3", subscriptionId,
                resourceGroup.toLowerCase(Locale.ROOT), name).firstResultOptional();
    }

    public String resourceId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.ContainerInstance/containerGroups/" + name;
    }
}
