package dev.parma.identity;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * Who a platform certificate names: one of the platform's services, a node agent, or an operator. The certificate's
 * subject is {@code CN=<commonName>} and nothing else, so the CN alone (as Kafka's principal mapping and the HTTP
 * caller checks read it) says who is calling. Tenants never hold a platform certificate.
 */
public sealed interface Principal permits Principal.Service, Principal.Node, Principal.Operator {

    /** A DNS label: what node ids and operator names may be (they become topic names and certificate names). */
    Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    String commonName();

    /** One of the platform's own services. */
    record Service(ServiceName name) implements Principal {
        public Service {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String commonName() {
            return name.id();
        }
    }

    /** The node agent of one node; it may read only its own command topic and is the only reader of its secrets. */
    record Node(String nodeId) implements Principal {
        static final String PREFIX = "node-agent.";

        public Node {
            label(nodeId, "node id");
        }

        @Override
        public String commonName() {
            return PREFIX + nodeId;
        }
    }

    /** A person or tool acting for the platform's operators (enrolment, quota overrides, test harnesses). */
    record Operator(String name) implements Principal {
        static final String PREFIX = "operator.";

        public Operator {
            label(name, "operator name");
        }

        @Override
        public String commonName() {
            return PREFIX + name;
        }
    }

    static Principal service(ServiceName name) {
        return new Service(name);
    }

    static Principal node(String nodeId) {
        return new Node(nodeId);
    }

    static Principal operator(String name) {
        return new Operator(name);
    }

    /** Parses a common name; throws for anything that is not exactly one of the three shapes. */
    static Principal fromCommonName(String cn) {
        if (cn == null) {
            throw new IllegalArgumentException("no common name");
        }
        if (cn.startsWith(Node.PREFIX)) {
            return new Node(cn.substring(Node.PREFIX.length()));
        }
        if (cn.startsWith(Operator.PREFIX)) {
            return new Operator(cn.substring(Operator.PREFIX.length()));
        }
        return ServiceName.fromId(cn).<Principal>map(Service::new)
                .orElseThrow(() -> new IllegalArgumentException("not a platform principal: " + cn));
    }

    /** The principal a certificate's subject names, if its subject is a single platform CN. */
    static Optional<Principal> of(X509Certificate certificate) {
        try {
            var rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            if (rdns.size() != 1 || !rdns.get(0).getType().equalsIgnoreCase("CN")
                    || !(rdns.get(0).getValue() instanceof String cn)) {
                return Optional.empty();
            }
            return Optional.of(fromCommonName(cn));
        } catch (InvalidNameException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void label(String value, String what) {
        if (value == null || !LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a DNS label (lowercase alphanumerics and '-'): "
                    + value);
        }
    }
}
