package dev.parma.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** The verified caller of the current request, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller; never null inside a resource method (the filter answers 401 first). */
    public Caller get() {
        if (caller == null) {
            throw TokenVerifier.invalid("The request is not authenticated.");
        }
        return caller;
    }
}
