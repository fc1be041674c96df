package dev.parma.identity;

import java.util.Map;

/**
 * Kafka client settings for mutual TLS with an identity directory: the broker learns the principal from the
 * certificate's CN ({@link #PRINCIPAL_MAPPING_RULES}) and the client trusts only the platform CA.
 */
public final class KafkaTls {

    /**
     * The broker's mapping from a client certificate's subject to its principal name: the CN of a subject that is a
     * CN alone (platform certificates are). Any other subject maps to a name that no ACL or super user matches.
     */
    public static final String PRINCIPAL_MAPPING_RULES = "RULE:^CN=(.*)$/$1/,DEFAULT";

    private KafkaTls() {
    }

    public static Map<String, String> clientProperties(IdentityDir dir) {
        return Map.of(
                "security.protocol", "SSL",
                "ssl.keystore.type", "PEM",
                "ssl.keystore.location", dir.keystoreFile().toAbsolutePath().toString(),
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", dir.caFile().toAbsolutePath().toString());
    }
}
