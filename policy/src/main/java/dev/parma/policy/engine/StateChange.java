package dev.parma.policy.engine;

import java.util.function.UnaryOperator;

import dev.parma.policy.Require;

/** One metadata operation of an allowed decision, e.g. "devices add /run/mounts/scsi/m1". */
record StateChange(String description, UnaryOperator<Metadata> op) {

    StateChange {
        Require.nonNull(description, "description");
        Require.nonNull(op, "op");
    }
}
