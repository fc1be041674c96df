package dev.parma.contracts;

import java.util.regex.Pattern;

/** Kafka topic names. Keys: group id for commands and group events, node id for heartbeats. */
public final class Topics {

    /** Status and removal events from every node to the deployment service, keyed by group id. */
    public static final String NODE_EVENTS = "parma.node.events";

    /** Node registration and capacity; compacted, keyed by node id, so the latest heartbeat per node survives. */
    public static final String NODE_HEARTBEATS = "parma.node.heartbeats";

    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Topics() {
    }

    /**
     * Commands for one node, keyed by group id. A topic per node means adding a node never makes the other
     * nodes read more.
     */
    public static String nodeCommands(String nodeId) {
        if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException(
                    "node id must be a DNS label (lowercase alphanumerics and '-'): " + nodeId);
        }
        return "parma.node." + nodeId + ".commands";
    }
}
