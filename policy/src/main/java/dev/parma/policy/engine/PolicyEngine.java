package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.parma.policy.Require;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Policy;
import dev.parma.policy.model.RuleBinding;
import dev.parma.policy.model.Semver;
import dev.parma.policy.rego.Value;

/**
 * Enforces one policy for one UVM. One entry point, {@link #evaluate}: look up the point's binding (framework rule,
 * constant, or the manifest default for policies that predate the point), decide, and on denial build the structured
 * report. Deny by default: anything not positively allowed is denied.
 *
 * <p>
 * Thread-safe. Evaluation reads an immutable state snapshot; state changes only when the caller commits an
 * {@link Decision.Allow} after its host operation succeeded.
 */
public final class PolicyEngine {

    /** Points whose failed host operation latches the engine as inconsistent. */
    static final Set<EnforcementPoint> UNMOUNTS = EnumSet.of(EnforcementPoint.UNMOUNT_DEVICE,
            EnforcementPoint.RW_UNMOUNT_DEVICE, EnforcementPoint.UNMOUNT_BLOCKDEV, EnforcementPoint.UNMOUNT_OVERLAY,
            EnforcementPoint.PLAN9_UNMOUNT, EnforcementPoint.SCRATCH_UNMOUNT);
    /** Points refused once the engine is latched. */
    static final Set<EnforcementPoint> MOUNTS_AND_CREATES = EnumSet.of(EnforcementPoint.MOUNT_DEVICE,
            EnforcementPoint.RW_MOUNT_DEVICE, EnforcementPoint.MOUNT_BLOCKDEV, EnforcementPoint.MOUNT_OVERLAY,
            EnforcementPoint.CREATE_CONTAINER, EnforcementPoint.PLAN9_MOUNT, EnforcementPoint.SCRATCH_MOUNT);
    static final String INCONSISTENT = "UVM is in an inconsistent state after a failed ";

    private final Policy policy;
    private final Framework framework;
    private volatile Metadata state = Metadata.EMPTY;
    private volatile EnforcementPoint latchedBy;

    private PolicyEngine(Policy policy) {
        this.policy = Require.nonNull(policy, "policy");
        this.framework = new Framework(policy);
    }

    /** An engine with fresh state for the policy. */
    public static PolicyEngine load(Policy policy) {
        return new PolicyEngine(policy);
    }

    public Policy policy() {
        return policy;
    }

    /** The committed state. */
    public Metadata state() {
        return state;
    }

    /** Decides one request against the committed state. Never throws for a well-formed request. */
    public Decision evaluate(Request request) {
        Require.nonNull(request, "request");
        EnforcementPoint point = request.point();
        Metadata snapshot = state;
        EnforcementPoint latch = latchedBy;
        if (latch != null && MOUNTS_AND_CREATES.contains(point)) {
            return deny(request, List.of(INCONSISTENT + latch.ruleName()));
        }
        Optional<Semver> api = policy.apiVersion();
        if (api.isEmpty()) {
            return invalid(request, "policy does not define api_version");
        }
        Optional<RuleBinding> binding = policy.rule(point.ruleName());
        if (binding.isEmpty()) {
            boolean available = api.get().atLeast(point.introduced());
            if (available) {
                return deny(request, List.of("rule for " + point.ruleName() + " is missing from policy"));
            }
            switch (point.defaults()) {
                case USE_FRAMEWORK :
                    return fromFramework(request, snapshot);
                case ALLOW :
                    return new Decision.Allow(point, Optional.empty(), Optional.empty(), false, false, List.of(),
                            new PendingChange(this, point, List.of()));
                default :
                    return deny(request, explained(framework.evaluate(request, snapshot).errors(),
                            "policy api_version " + api.get() + " predates " + point.ruleName() + " (introduced in "
                                    + point.introduced() + "): the default result is deny"));
            }
        }
        if (binding.get() instanceof RuleBinding.Constant c) {
            return constant(request, c.result(), snapshot);
        }
        return fromFramework(request, snapshot);
    }

    private Decision fromFramework(Request request, Metadata snapshot) {
        Outcome o = framework.evaluate(request, snapshot);
        if (!o.allowed()) {
            return deny(request, o.errors());
        }
        return new Decision.Allow(request.point(), o.envList(), o.capsList(), o.allowStdioAccess(), o.addModule(),
                o.allowedLedgers(), new PendingChange(this, request.point(), o.changes()));
    }

    /** Allow-all / deny-all forms: the manifest defaults overlaid with the constant; no state change. */
    private Decision constant(Request request, Value.Obj result, Metadata snapshot) {
        Value envList = result.get("env_list");
        Optional<List<String>> env = Optional.empty();
        if (envList instanceof Value.Arr a) {
            List<String> l = new ArrayList<>();
            for (Value v : a.items()) {
                if (!(v instanceof Value.Str s)) {
                    return invalid(request, "policy returned incorrect type for 'env_list', expected []string, "
                            + "received an element of type " + v.kind());
                }
                l.add(s.value());
            }
            env = Optional.of(l);
        } else if (envList != null && !(envList instanceof Value.Null)) {
            return invalid(request, "policy returned incorrect type for 'env_list', expected []interface{}, received "
                    + (envList instanceof Value.Obj ? "map[string]interface {}" : envList.kind()));
        }
        boolean allowed = result.get("allowed") instanceof Value.Bool b && b.value();
        if (!allowed) {
            return deny(request, explained(framework.evaluate(request, snapshot).errors(),
                    "policy binds " + request.point().ruleName() + " to a result with allowed false"));
        }
        boolean stdio = result.get("allow_stdio_access") instanceof Value.Bool b && b.value();
        boolean addModule = result.get("add_module") instanceof Value.Bool b && b.value();
        List<String> ledgers = List.of();
        if (request.point() == EnforcementPoint.LOAD_TRANSPARENCY_TRUST_LIST) {
            Value v = result.get("allowed_ledgers");
            if (v instanceof Value.Arr a && a.items().stream().allMatch(Value.Str.class::isInstance)) {
                ledgers = a.items().stream().map(i -> ((Value.Str) i).value()).distinct().sorted().toList();
            } else if (v != null && !(v instanceof Value.Null)) {
                return invalid(request, "policy returned incorrect type for 'allowed_ledgers', expected []string");
            }
            if (ledgers.isEmpty()) {
                // hcsshim's guest refuses such a result after the policy allowed it: no ledger, nothing to load.
                return deny(request, List.of("transparency trust list carries no ledgers authorized by the policy"));
            }
        }
        return new Decision.Allow(request.point(), env, Optional.<CapabilitySets>empty(), stdio, addModule, ledgers,
                new PendingChange(this, request.point(), List.of()));
    }

    /** The binding's own reason first, then what the framework would have said about the input. */
    private static List<String> explained(List<String> errors, String why) {
        List<String> out = new ArrayList<>(errors.size() + 1);
        out.add(why);
        out.addAll(errors);
        return out;
    }

    private Decision deny(Request request, List<String> frameworkErrors) {
        List<String> errors = new ArrayList<>(frameworkErrors);
        errors.addAll(versionErrors());
        Optional<Value> reason;
        if (policy.reason().isEmpty()) {
            reason = Optional.of(new Value.Str(PolicyDecision.NO_REASON));
        } else {
            Map<String, Value> r = new LinkedHashMap<>();
            r.put("errors", new Value.Arr(errors.stream().<Value>map(Value.Str::new).toList()));
            if (policy.reason().get().withErrorObjects()) {
                r.put("error_objects", errorObjects(request));
            }
            reason = Optional.of(new Value.Obj(r));
        }
        PolicyDecision d = new PolicyDecision(Optional.of(PolicyDecision.redact(request.toInput())), reason, errors,
                Optional.empty(), List.of());
        return new Decision.Deny(request.point(), d);
    }

    private Decision invalid(Request request, String error) {
        PolicyDecision d = new PolicyDecision(Optional.of(PolicyDecision.redact(request.toInput())),
                Optional.of(new Value.Str(PolicyDecision.INVALID_POLICY)), List.of(error), Optional.of(error),
                List.of());
        return new Decision.Deny(request.point(), d);
    }

    /** The candidate containers of the request's container ID (labels only), as framework.reason lists them. */
    private Value errorObjects(Request request) {
        String id = null;
        if (request instanceof Request.CreateContainer c) {
            id = c.containerID();
        } else if (request instanceof Request.ExecInContainer e) {
            id = e.containerID();
        }
        List<Value> out = new ArrayList<>();
        if (id != null && state.matches().containsKey(id)) {
            state.matches().get(id).forEach(c -> out.add(new Value.Str(c.label())));
        }
        return new Value.Arr(out);
    }

    private List<String> versionErrors() {
        Semver current = EnforcementPoint.ENGINE_FRAMEWORK_VERSION;
        if (policy.frameworkVersion().isEmpty()) {
            return List.of("framework_version is missing. Current version: " + current);
        }
        Semver v = policy.frameworkVersion().get();
        if (v.compareTo(current) > 0) {
            return List.of("framework_version is ahead of the current version: " + v + " is greater than " + current);
        }
        return List.of();
    }

    /** Whether a failed unmount has latched the engine (no more mounts or creates). */
    public boolean inconsistent() {
        return latchedBy != null;
    }

    void latchInconsistent(EnforcementPoint point) {
        latchedBy = point;
    }

    /** Applies committed operations atomically; on a conflict nothing is applied. */
    synchronized void apply(List<StateChange> changes) {
        Metadata next = state;
        for (StateChange c : changes) {
            next = c.op().apply(next);
        }
        state = next;
    }
}
