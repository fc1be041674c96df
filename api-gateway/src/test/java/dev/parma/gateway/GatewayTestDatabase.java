package dev.parma.gateway;

import dev.parma.testsupport.PlatformIdentityResource;
import dev.parma.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The gateway's test database on the local PostgreSQL and its platform identity (api-gateway, from the test JVM's
 * PKI), for every {@code @QuarkusTest} here (one set of resources, so the profiles alone decide when Quarkus
 * restarts; Flyway cleans the database at each start).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "parma_gateway_test"))
@WithTestResource(value = PlatformIdentityResource.class, initArgs = @ResourceArg(name = "principal", value = "api-gateway"))
public @interface GatewayTestDatabase {
}
