package dev.parma.policy.engine;

import java.util.Objects;
import java.util.function.UnaryOperator;

/** One metadata operation of an allowed decision, e.g. "devices add /run/mounts/scsi/m1". */
record StateChange(String description, UnaryOperator<Metadata> op) {

    StateChange {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(op, "op");
    }
}
