package dev.parma.snp.kds;

/** The KDS (or the configured substitute) could not serve a request. Callers may retry later. */
public final class KdsUnavailableException extends KdsException {
    private static final long serialVersionUID = 1L;

    public KdsUnavailableException(String message) {
        super(message);
    }

    public KdsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
