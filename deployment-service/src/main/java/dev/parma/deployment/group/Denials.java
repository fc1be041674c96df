package dev.parma.deployment.group;

import dev.parma.contracts.events.PolicyDenial;
import dev.parma.contracts.events.PolicyDenial.Source;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.deployment.denial.DenialLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A group's policy denials, handed to the {@link DenialLog} in the transaction that records them on the group:
 * pre-flight's problems at create or update, and the guest's refusals that a node reports as {@code PolicyDenied}
 * instance events. The group's write-only values are scrubbed from every reason first ({@link GroupSecrets}).
 */
@ApplicationScoped
class Denials {

    /** The instance event a node agent reports a guest's refusal with. */
    private static final String GUEST_EVENT = "PolicyDenied";

    // The node agent's wording: "The UVM's execution policy denied <point> for container '<name>': <reason>".
    private static final Pattern GUEST = Pattern.compile("denied (\\S+) for container '([^']*)': (.*)", Pattern.DOTALL);
    /** Guest enforcement points are rule names (mount_device, create_container, …); anything else is "unknown". */
    private static final Pattern POINT = Pattern.compile("[a-z_]{1,32}");

    private final DenialLog log;

    Denials(DenialLog log) {
        this.log = log;
    }

    /** Pre-flight refused this generation of the group; ids are the group's id, generation and problem index. */
    @Transactional(Transactional.TxType.MANDATORY)
    void preflight(ContainerGroupEntity g, List<PolicyCheck.Problem> problems, Instant now) {
        var secrets = GroupSecrets.of(g);
        for (int i = 0; i < problems.size(); i++) {
            var p = problems.get(i);
            log.record("preflight:" + g.id + ":" + g.generation + ":" + i, new PolicyDenial(now, g.subscriptionId,
                    g.resourceId(), g.id, p.container(), PolicyDenial.PREFLIGHT_POINT, secrets.scrub(p.reason()),
                    Source.PREFLIGHT, null));
        }
    }

    /** The guest refusals among a node's status events; ids are the node event's id and the event's index in it. */
    @Transactional(Transactional.TxType.MANDATORY)
    void guest(ContainerGroupEntity g, GroupStatus status) {
        GroupSecrets secrets = null;
        for (int i = 0; i < status.events().size(); i++) {
            var e = status.events().get(i);
            if (!GUEST_EVENT.equals(e.name())) {
                continue;
            }
            secrets = secrets == null ? GroupSecrets.of(g) : secrets;
            String message = e.message() == null ? "" : e.message();
            var m = GUEST.matcher(message);
            boolean parsed = m.find();
            String point = parsed && POINT.matcher(m.group(1)).matches() ? m.group(1) : "unknown";
            String container = e.container() != null ? e.container() : parsed ? m.group(2) : null;
            String reason = parsed ? m.group(3).trim() : message;
            Instant at = e.timestamp() != null
                    ? e.timestamp()
                    : status.occurredAt() != null ? status.occurredAt() : Instant.now();
            log.record("node:" + status.eventId() + ":" + i, new PolicyDenial(at, g.subscriptionId, g.resourceId(),
                    g.id, container, point, secrets.scrub(reason), Source.GUEST, status.nodeId()));
        }
    }
}
