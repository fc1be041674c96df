package dev.parma.snp.abi;

/**
 * Bytes that do not follow the SEV-SNP ABI (AMD 56860): wrong size, a non-zero MBZ range, a reserved value.
 * {@link #field()} names the spec field so callers and logs can point at the offending bytes.
 */
public final class AbiException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public AbiException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
