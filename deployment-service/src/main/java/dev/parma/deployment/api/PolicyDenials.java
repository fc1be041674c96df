package dev.parma.deployment.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.deployment.group.ContainerGroupEntity;
import dev.parma.deployment.group.InstanceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recent policy denials, read from the instance events the groups already carry: {@code PolicyPreflightFailed}
 * (the control plane's pre-flight of create_container, one event per problem) and {@code PolicyDenied} (the guest's
 * enforcement on a node, one event per refused request). Groups that were deleted take their events with them.
 */
final class PolicyDenials {

    /** Enforcement point of a pre-flight refusal: the control plane checks create_container before any VM starts. */
    static final String PREFLIGHT = "preflight";

    // The node agent's wording: "The UVM's execution policy denied <point> for container '<name>': <reason>".
    private static final Pattern GUEST = Pattern.compile("denied (\\S+) for container '([^']*)': (.*)", Pattern.DOTALL);
    // Pre-flight's wording: "Container '<name>' would be denied by the execution policy[ (closest …)]: <reason>".
    private static final Pattern PREFLIGHT_MESSAGE = Pattern.compile(
            "Container '([^']*)' would be denied by the execution policy(?: \\(closest policy container: [^)]*\\))?: (.*)",
            Pattern.DOTALL);
    /** Groups scanned per request, most recently changed first: bounds the cost of the SRE page on a big fleet. */
    private static final int SCAN = 500;

    /** One denial; {@code count} folds repeats as the instance view does, {@code time} is the latest. */
    record Denial(Instant time, String resourceId, String container, String enforcementPoint, String reason,
            int count) {
    }

    private PolicyDenials() {
    }

    /** The {@code top} most recent denials across all groups, newest first. */
    static List<Denial> recent(int top) {
        List<ContainerGroupEntity> groups = ContainerGroupEntity.find(
                "instanceView like ?1 or instanceView like ?2 order by updatedAt desc",
                "%\"PolicyDenied\"%", "%\"PolicyPreflightFailed\"%").page(0, SCAN).list();
        var out = new ArrayList<Denial>();
        for (var g : groups) {
            out.addAll(of(g.resourceId(), read(g.instanceView)));
        }
        out.sort(Comparator.comparing(Denial::time, Comparator.nullsLast(Comparator.reverseOrder())));
        return out.size() > top ? List.copyOf(out.subList(0, top)) : out;
    }

    /** The denials among one group's instance events. */
    static List<Denial> of(String resourceId, InstanceView view) {
        var out = new ArrayList<Denial>();
        for (var e : view.events()) {
            if ("PolicyPreflightFailed".equals(e.name())) {
                var m = PREFLIGHT_MESSAGE.matcher(e.message() == null ? "" : e.message());
                out.add(m.matches()
                        ? new Denial(e.lastTimestamp(), resourceId, m.group(1), PREFLIGHT, m.group(2), e.count())
                        : new Denial(e.lastTimestamp(), resourceId, null, PREFLIGHT, e.message(), e.count()));
            }
        }
        for (Map.Entry<String, InstanceView.ContainerView> c : view.containers().entrySet()) {
            for (var e : c.getValue().events()) {
                if ("PolicyDenied".equals(e.name())) {
                    var m = GUEST.matcher(e.message() == null ? "" : e.message());
                    out.add(m.find()
                            ? new Denial(e.lastTimestamp(), resourceId, c.getKey(), m.group(1), m.group(3).trim(),
                                    e.count())
                            : new Denial(e.lastTimestamp(), resourceId, c.getKey(), "unknown", e.message(),
                                    e.count()));
                }
            }
        }
        return out;
    }

    private static InstanceView read(String json) {
        try {
            return json == null ? InstanceView.pending() : Json.mapper().readValue(json, InstanceView.class);
        } catch (JsonProcessingException e) {
            return InstanceView.pending();
        }
    }
}
