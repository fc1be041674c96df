package dev.parma.identity;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The operator's enrolment tool.
 *
 * <pre>
 * PkiTool ensure &lt;pki-dir&gt; &lt;principal&gt; [host…]   issue (or keep) a principal's identity directory; prints its path
 * PkiTool enroll &lt;pki-dir&gt; &lt;principal&gt; [host…]   issue a new one, replacing what was there
 * </pre>
 *
 * A principal is a common name: a service ({@code deployment-service}), {@code node-agent.<node id>} or
 * {@code operator.<name>}. Hosts become the TLS certificate's subject alternative names (default: 127.0.0.1 and
 * localhost). Kafka ACLs for a node are created by the broker's admin when the node is enrolled there
 * ({@link KafkaAcls}).
 */
public final class PkiTool {

    private PkiTool() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || !List.of("ensure", "enroll").contains(args[0])) {
            System.err.println("usage: PkiTool ensure|enroll <pki-dir> <principal> [host...]");
            System.exit(2);
        }
        Principal principal;
        try {
            principal = Principal.fromCommonName(args[2]);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<String> hosts = args.length > 3
                ? Arrays.asList(args).subList(3, args.length)
                : List.of("127.0.0.1", "localhost");
        var pki = Pki.at(Path.of(args[1]));
        var dir = args[0].equals("enroll") ? pki.enroll(principal, hosts) : pki.ensure(principal, hosts);
        System.out.println(dir.path().toAbsolutePath());
    }
}
