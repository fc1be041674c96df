package dev.parma.attestation;

import dev.parma.testsupport.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What every attestation-service test runs on: the local PostgreSQL (own database), a trusted simulator root (the
 * shared Milan test authority) with trusted UVM endorsement signers, and the tests' OIDC issuer. One set for all
 * classes, so Quarkus starts once.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "parma_attestation_test"))
@WithTestResource(SimulatorRootsResource.class)
@WithTestResource(TestIssuerResource.class)
public @interface AttestationTestResources {
}
