package dev.parma.policy.engine;

import java.util.List;
import java.util.Optional;

import dev.parma.policy.model.CapabilitySets;

/** What a framework rule produced for one request: the result members, metadata ops and error list. */
record Outcome(boolean allowed, Optional<List<String>> envList, Optional<CapabilitySets> capsList,
        boolean allowStdioAccess, boolean addModule, List<String> allowedLedgers, List<StateChange> changes,
        List<String> errors) {

    static Outcome allow(List<StateChange> changes) {
        return new Outcome(true, Optional.empty(), Optional.empty(), false, false, List.of(), changes, List.of());
    }

    static Outcome deny(List<String> errors) {
        return new Outcome(false, Optional.empty(), Optional.empty(), false, false, List.of(), List.of(),
                errors.stream().sorted().distinct().toList());
    }

    static Outcome deny(String error) {
        return deny(List.of(error));
    }
}
