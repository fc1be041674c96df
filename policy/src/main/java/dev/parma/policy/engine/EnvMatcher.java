package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.MatchStrategy;

/**
 * A container's env rules compiled for the hot path: exact {@code string} rules in a hash set, the rest (RE2, split
 * rules) tried in order. Cached per rule list instance, since policies are immutable and evaluated many times.
 */
final class EnvMatcher {

    private static final int MAX_CACHED = 10_000;
    private static final ConcurrentHashMap<Identity, EnvMatcher> CACHE = new ConcurrentHashMap<>();

    private final Set<String> exact;
    private final List<EnvRule> others;

    private EnvMatcher(List<EnvRule> rules) {
        Set<String> ex = new HashSet<>();
        List<EnvRule> ot = new ArrayList<>();
        for (EnvRule r : rules) {
            if (r instanceof EnvRule.Whole w && w.strategy() == MatchStrategy.STRING) {
                ex.add(w.pattern());
            } else {
                ot.add(r);
            }
        }
        this.exact = ex;
        this.others = ot;
    }

    static EnvMatcher of(List<EnvRule> rules) {
        Identity key = new Identity(rules);
        EnvMatcher m = CACHE.get(key);
        if (m == null) {
            m = new EnvMatcher(rules);
            if (CACHE.size() >= MAX_CACHED) {
                CACHE.clear();
            }
            CACHE.put(key, m);
        }
        return m;
    }

    boolean matchesAny(String env) {
        if (exact.contains(env)) {
            return true;
        }
        for (EnvRule r : others) {
            if (ContainerChecks.envMatches(r, env)) {
                return true;
            }
        }
        return false;
    }

    /** Identity of a rule list: equal content in two policies still gets two entries, which is harmless. */
    private record Identity(List<EnvRule> rules) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.rules == rules;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(rules);
        }
    }
}
