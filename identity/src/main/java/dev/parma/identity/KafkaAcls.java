package dev.parma.identity;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import dev.parma.contracts.Topics;
import dev.parma.contracts.events.EventTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each principal may do on the broker (deny by default: the broker runs an authorizer with no
 * allow-if-no-ACL). The deployment service writes every node's commands and reads node events; a node reads only
 * its own command topic and writes events and heartbeats; nobody else (tenants, the gateway) has any access.
 * Operators are the broker's super users.
 */
public final class KafkaAcls {

    /** The consumer group of the deployment service's node-event and heartbeat consumers. */
    public static final String DEPLOYMENT_GROUP = "deployment-service";

    private KafkaAcls() {
    }

    /** The consumer group a node's agent reads its commands in. */
    public static String nodeGroup(String nodeId) {
        return "node-agent-" + nodeId;
    }

    public static List<AclBinding> bindings(Principal principal) {
        var out = new ArrayList<AclBinding>();
        String user = "User:" + principal.commonName();
        if (principal instanceof Principal.Service s && s.name() == ServiceName.DEPLOYMENT_SERVICE) {
            // every node's command topic (parma.node.<id>.commands): created on first use
            topic(out, user, PatternType.PREFIXED, "parma.node.", WRITE, DESCRIBE, CREATE);
            for (String t : List.of(Topics.NODE_EVENTS, Topics.NODE_HEARTBEATS)) {
                topic(out, user, PatternType.LITERAL, t, READ, DESCRIBE, CREATE);
            }
            for (String t : List.of(EventTypes.LIFECYCLE_TOPIC, EventTypes.BILLING_TOPIC, EventTypes.QUOTA_TOPIC)) {
                topic(out, user, PatternType.LITERAL, t, WRITE, DESCRIBE, CREATE);
            }
            group(out, user, DEPLOYMENT_GROUP);
        } else if (principal instanceof Principal.Node n) {
            topic(out, user, PatternType.LITERAL, Topics.nodeCommands(n.nodeId()), READ, DESCRIBE, CREATE);
            group(out, user, nodeGroup(n.nodeId()));
            for (String t : List.of(Topics.NODE_EVENTS, Topics.NODE_HEARTBEATS)) {
                topic(out, user, PatternType.LITERAL, t, WRITE, DESCRIBE, CREATE);
            }
        }
        return out;
    }

    /** Creates {@code principal}'s bindings through an operator's admin client (idempotent). */
    public static void apply(Admin admin, Principal principal) {
        var bindings = bindings(principal);
        if (bindings.isEmpty()) {
            return;
        }
        try {
            admin.createAcls(bindings).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create ACLs for " + principal.commonName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void topic(List<AclBinding> out, String user, PatternType type, String name,
            AclOperation... operations) {
        for (var op : operations) {
            out.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, name, type),
                    new AccessControlEntry(user, "*", op, AclPermissionType.ALLOW)));
        }
    }

    private static void group(List<AclBinding> out, String user, String group) {
        out.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
                new AccessControlEntry(user, "*", READ, AclPermissionType.ALLOW)));
    }
}
