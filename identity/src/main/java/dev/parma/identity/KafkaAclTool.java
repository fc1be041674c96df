package dev.parma.identity;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code KafkaAclTool <bootstrap> <operator identity dir> <principal>…}: grants each principal its {@link KafkaAcls}
 * on a broker, as an operator (a super user) over mutual TLS. Deployments run it once per new node and at install
 * (docker-compose's {@code kafka-acls} service); {@code ./parma} and tests use the test broker, which does the same.
 */
public final class KafkaAclTool {

    private KafkaAclTool() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: KafkaAclTool <bootstrap> <operator identity dir> <principal...>");
            System.exit(2);
            return;
        }
        Map<String, Object> props = new HashMap<>(KafkaTls.clientProperties(new IdentityDir(Path.of(args[1]))));
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        try (Admin admin = Admin.create(props)) {
            Arrays.stream(args).skip(2).map(Principal::fromCommonName).forEach(p -> {
                KafkaAcls.apply(admin, p);
                System.out.println("ACLs granted to " + p.commonName());
            });
        }
    }
}
