package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.parma.policy.Require;
import dev.parma.policy.model.CapabilitySets;

/** The outcome of {@link PolicyEngine#evaluate}: allowed with a pending state change, or denied with a report. */
public sealed interface Decision {

    EnforcementPoint point();

    boolean allowed();

    /**
     * Allowed. Run the host operation, then {@link PendingChange#commit()} on success or {@link PendingChange#abort()}
     * on failure: until committed, the engine's state is unchanged (hcsshim's metadata rollback).
     *
     * @param envList variables the guest may keep; empty = keep all (create, exec, exec_external)
     * @param capsList capability sets to apply (create, exec)
     * @param allowStdioAccess false routes the process's stdio to /dev/null
     * @param addModule load_fragment: keep the fragment's module ("namespace" included)
     * @param allowedLedgers load_transparency_trust_list: the ledgers whose keys the caller may take from the TTL
     *            (never empty for that point; empty for every other)
     */
    record Allow(EnforcementPoint point, Optional<List<String>> envList, Optional<CapabilitySets> capsList,
            boolean allowStdioAccess, boolean addModule, List<String> allowedLedgers, PendingChange pending)
            implements
                Decision {
        public Allow {
            Require.nonNull(point, "point");
            envList = Require.nonNull(envList, "envList").map(List::copyOf);
            Require.nonNull(capsList, "capsList");
            allowedLedgers = Require.list(allowedLedgers, "allowedLedgers");
            Require.nonNull(pending, "pending");
        }

        @Override
        public boolean allowed() {
            return true;
        }

        /** The guest's filter: only requested variables whose entry is in env_list survive (all if no list). */
        public List<String> effectiveEnv(List<String> requested) {
            if (envList.isEmpty()) {
                return List.copyOf(requested);
            }
            Set<String> keep = new HashSet<>(envList.get());
            List<String> out = new ArrayList<>(requested.size());
            for (String e : requested) {
                if (keep.contains(e)) {
                    out.add(e);
                }
            }
            return out;
        }

        public void commit() {
            pending.commit();
        }

        public void abort() {
            pending.abort();
        }
    }

    /** Denied; {@link PolicyDecision#toErrorMessage} gives hcsshim's {@code policyDecision< … >policyDecision} text. */
    record Deny(EnforcementPoint point, PolicyDecision report) implements Decision {
        public Deny {
            Require.nonNull(point, "point");
            Require.nonNull(report, "report");
        }

        @Override
        public boolean allowed() {
            return false;
        }

        public List<String> errors() {
            return report.errors();
        }

        /** The denial as the guest reports it, bounded to hcsshim's 3 KiB. */
        public String errorMessage() {
            return report.toErrorMessage(point, PolicyDecision.DEFAULT_MAX_LENGTH);
        }
    }
}
