package dev.parma.testsupport;

import dev.parma.identity.Principal;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real in-JVM Kafka broker for a {@code @QuarkusTest} and points every SmallRye Kafka channel at it.
 * Use with {@code @WithTestResource(KafkaBrokerResource.class)}; the init arg {@code principal} (a common name)
 * names the service under test when it needs ACLs beyond the deployment service's (a node agent).
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;
    private String principal;

    @Override
    public void init(Map<String, String> initArgs) {
        principal = initArgs.get("principal");
    }

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.startEphemeral();
        if (principal != null) {
            broker.authorize(Principal.fromCommonName(principal));
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
