package dev.parma.policy.model;

import java.util.List;
import java.util.Objects;

/**
 * A fragment the policy accepts: from {@code issuer} (a did:x509) on {@code feed}, with an SVN of at least
 * {@code minimumSvn}, contributing the listed {@code includes} (containers, fragments, external_processes, namespace).
 *
 * @param minimumSvn the SVN as written; a JSON number is kept as its decimal text
 */
public record FragmentRef(String issuer, String feed, String minimumSvn, List<String> includes) {

    public FragmentRef {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(minimumSvn, "minimumSvn");
        includes = List.copyOf(includes);
    }
}
