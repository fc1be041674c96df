package dev.parma.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A container group's execution policy refused something: at pre-flight in the control plane (no VM is started for
 * the group) or in the group's UVM, where the guest refused a host request. A security signal: the deployment
 * service keeps it after the group is gone and publishes it on the lifecycle topic. No secrets: reasons name
 * environment variables, never their values, and the group's write-only values are scrubbed from what a node says.
 *
 * @param container null when the denial is not about one container
 * @param enforcementPoint {@value #PREFLIGHT_POINT}, or the guest's point ({@code mount_device}, {@code
 *            create_container}, {@code exec_in_container}, …)
 * @param nodeId the node that reported it; null for pre-flight
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDenial(
        Instant time,
        String subscriptionId,
        String resourceId,
        String groupId,
        String container,
        String enforcementPoint,
        String reason,
        Source source,
        String nodeId) {

    /** The enforcement point of every pre-flight denial (the control plane predicts create_container). */
    public static final String PREFLIGHT_POINT = "preflight";

    /** Where the denial was decided. */
    public enum Source {
        /** The control plane's pre-flight of the group against its policy, at create or update. */
        PREFLIGHT,
        /** The guest agent in the group's UVM, reported by the node. */
        GUEST;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PolicyDenial {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(enforcementPoint, "enforcementPoint");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
    }
}
