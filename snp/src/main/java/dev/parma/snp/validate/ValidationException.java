package dev.parma.snp.validate;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A verified report is not the one expected; {@link #mismatches()} lists every failed check. */
public final class ValidationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Mismatch> mismatches;

    public ValidationException(List<Mismatch> mismatches) {
        super("report does not meet expectations: " + mismatches.stream().map(Mismatch::toString).collect(Collectors
                .joining("; ")));
        this.mismatches = List.copyOf(mismatches);
    }

    public List<Mismatch> mismatches() {
        return mismatches;
    }

    /** The mismatch for a field, if any (e.g. "HOST_DATA"). */
    public Optional<Mismatch> mismatch(String field) {
        return mismatches.stream().filter(m -> m.field().equals(field)).findFirst();
    }
}
