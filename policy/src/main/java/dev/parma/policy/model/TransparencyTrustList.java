package dev.parma.policy.model;

import java.util.List;

import dev.parma.policy.Require;

/**
 * A signed Transparency Trust List the policy accepts (hcsshim framework 0.5.0, API 0.12.0): one from {@code issuer}
 * about {@code subject}, with an SVN of at least {@code minimumSvn}, may contribute receipt-verification keys for the
 * {@code allowedLedgers} ({@code "*"}: any ledger it carries).
 *
 * @param minimumSvn the SVN as written; a JSON number is kept as its decimal text
 */
public record TransparencyTrustList(String issuer, String subject, String minimumSvn, List<String> allowedLedgers) {

    public TransparencyTrustList {
        Require.nonNull(issuer, "issuer");
        Require.nonNull(subject, "subject");
        Require.nonNull(minimumSvn, "minimumSvn");
        allowedLedgers = Require.list(allowedLedgers, "allowedLedgers");
    }
}
