package dev.parma.snp.validate;

/** One failed expectation: the report field, what the report holds and what was wanted. */
public record Mismatch(String field, String got, String want) {
    @Override
    public String toString() {
        return field + ": got " + got + ", want " + want;
    }
}
