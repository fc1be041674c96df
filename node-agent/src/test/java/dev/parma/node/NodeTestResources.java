package dev.parma.node;

import dev.parma.testsupport.KafkaBrokerResource;
import dev.parma.testsupport.PlatformIdentityResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The real infrastructure every node-agent test runs on: the node's platform identity ({@code node-agent.test-node}),
 * a broker that lets this node read only its own command topic, and a real OCI registry. Tests call the agent as an
 * operator (mutual TLS) and play the control plane on Kafka as the operator too.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = PlatformIdentityResource.class, initArgs = @ResourceArg(name = "principal", value = "node-agent.test-node"))
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "principal", value = "node-agent.test-node"))
@WithTestResource(TestRegistry.class)
public @interface NodeTestResources {
}
