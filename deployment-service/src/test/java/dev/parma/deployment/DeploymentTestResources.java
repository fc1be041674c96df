package dev.parma.deployment;

import dev.parma.testsupport.KafkaBrokerResource;
import dev.parma.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The real infrastructure every deployment-service test runs on: an in-JVM Kafka broker and PostgreSQL. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "parma_deployment_test"))
public @interface DeploymentTestResources {
}
