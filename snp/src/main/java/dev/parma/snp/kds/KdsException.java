package dev.parma.snp.kds;

/** A KDS artefact (URL, certificate extension, CRL, fetched body) is missing or malformed. */
public class KdsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KdsException(String message) {
        super(message);
    }

    public KdsException(String message, Throwable cause) {
        super(message, cause);
    }
}
