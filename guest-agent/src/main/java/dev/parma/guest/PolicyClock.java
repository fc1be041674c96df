package dev.parma.guest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.policy.engine.EnforcementPoint;
import java.util.EnumMap;
import java.util.Map;

/**
 * Time the guest spends inside the policy engine, per enforcement point: the cost confidentiality adds to every
 * host request. The last evaluation is echoed in the reply to the request that caused it; the totals answer the
 * {@code stats} op.
 */
final class PolicyClock {

    private record Total(long count, long nanos) {
    }

    private final Map<EnforcementPoint, Total> totals = new EnumMap<>(EnforcementPoint.class);
    private EnforcementPoint lastPoint;
    private long lastNanos;

    synchronized void record(EnforcementPoint point, long nanos) {
        totals.merge(point, new Total(1, nanos), (a, b) -> new Total(a.count + b.count, a.nanos + b.nanos));
        lastPoint = point;
        lastNanos += nanos;
    }

    /** Forgets the last evaluation (called before each request). */
    synchronized void reset() {
        lastPoint = null;
        lastNanos = 0;
    }

    /** Adds {@code policyPoint} and {@code policyNanos} to a reply if the request was evaluated. */
    synchronized void stamp(ObjectNode reply) {
        if (lastPoint != null) {
            reply.put("policyPoint", lastPoint.ruleName());
            reply.put("policyNanos", lastNanos);
        }
    }

    /** {@code {"mount_device": {"count": n, "nanos": t}, …}} since the UVM started. */
    synchronized ObjectNode totals() {
        ObjectNode o = Frames.object();
        totals.forEach((p, t) -> o.putObject(p.ruleName()).put("count", t.count).put("nanos", t.nanos));
        return o;
    }
}
