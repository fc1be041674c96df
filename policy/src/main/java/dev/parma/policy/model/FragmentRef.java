package dev.parma.policy.model;

import java.util.List;

import dev.parma.policy.Require;

/**
 * A fragment the policy accepts: from {@code issuer} (a did:x509) on {@code feed}, with an SVN of at least
 * {@code minimumSvn}, contributing the listed {@code includes} (containers, fragments, external_processes, namespace).
 *
 * @param minimumSvn the SVN as written; a JSON number is kept as its decimal text
 */
public record FragmentRef(String issuer, String feed, String minimumSvn, List<String> includes) {

    public FragmentRef {
        Require.nonNull(issuer, "issuer");
        Require.nonNull(feed, "feed");
        Require.nonNull(minimumSvn, "minimumSvn");
        includes = Require.list(includes, "includes");
    }
}
