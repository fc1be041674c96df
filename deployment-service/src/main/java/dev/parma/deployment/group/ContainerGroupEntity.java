package dev.parma.deployment.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.parma.contracts.Json;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A container group row. {@code spec} is the validated ARM properties (JSON), {@code instanceView} the
 * node's view, {@code phase}/{@code nodeId} the lifecycle state ({@link GroupPhase}); provisioningState is
 * derived from the phase.
 */
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
    /** Write-only values are sealed in the database and open here ({@link SealedSpec}). */
    @Convert(converter = SealedSpec.class)
    public String spec;
    public String tags;
    @Column(name = "host_data")
    public String hostData;
    public String phase;
    @Column(name = "phase_since")
    public Instant phaseSince;
    @Column(name = "billing_since")
    public Instant billingSince;
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

    public GroupPhase phase() {
        return GroupPhase.of(phase, nodeId);
    }

    public ProvisioningState provisioningState() {
        return phase().provisioningState();
    }

    public String resourceId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.ContainerInstance/containerGroups/" + name;
    }

    public Map<String, String> tagMap() {
        if (tags == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(tags, new TypeReference<Map<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags are unreadable", e);
        }
    }
}
