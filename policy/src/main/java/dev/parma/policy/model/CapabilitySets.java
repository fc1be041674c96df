package dev.parma.policy.model;

import java.util.List;

import dev.parma.policy.Require;

/** The five Linux capability sets. Lists keep order and duplicates: the framework compares counts too. */
public record CapabilitySets(List<String> bounding, List<String> effective, List<String> inheritable,
        List<String> permitted, List<String> ambient) {

    public static final CapabilitySets EMPTY = new CapabilitySets(List.of(), List.of(), List.of(), List.of(),
            List.of());

    public CapabilitySets {
        bounding = Require.list(bounding, "bounding");
        effective = Require.list(effective, "effective");
        inheritable = Require.list(inheritable, "inheritable");
        permitted = Require.list(permitted, "permitted");
        ambient = Require.list(ambient, "ambient");
    }

    /** The sets in wire order: bounding, effective, inheritable, permitted, ambient. */
    public List<List<String>> all() {
        return List.of(bounding, effective, inheritable, permitted, ambient);
    }

    public static CapabilitySets of(List<List<String>> sets) {
        if (sets.size() != 5) {
            throw new IllegalArgumentException("expected 5 capability sets, got " + sets.size());
        }
        return new CapabilitySets(sets.get(0), sets.get(1), sets.get(2), sets.get(3), sets.get(4));
    }

    public static final List<String> SET_NAMES = List.of("bounding", "effective", "inheritable", "permitted",
            "ambient");
}
