package dev.parma.deployment;

import dev.parma.testsupport.KafkaBrokerResource;
import dev.parma.testsupport.PlatformIdentityResource;
import dev.parma.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The real infrastructure every deployment-service test runs on: an in-JVM Kafka broker and PostgreSQL, and the
 * service's platform identity; tests call it as an operator (mutual TLS).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = PlatformIdentityResource.class, initArgs = @ResourceArg(name = "principal", value = "deployment-service"))
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "parma_deployment_test"))
public @interface DeploymentTestResources {
}
