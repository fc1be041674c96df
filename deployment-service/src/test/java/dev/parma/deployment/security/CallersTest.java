package dev.parma.deployment.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.deployment.DeploymentTestResources;
import dev.parma.identity.IdentityDir;
import dev.parma.identity.Pki;
import dev.parma.identity.Principal;
import dev.parma.identity.ServiceName;
import dev.parma.identity.Tls;
import dev.parma.testsupport.TestPki;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Who may call the deployment service: only platform principals (mutual TLS with the platform CA), each on its own
 * paths. A tenant's bearer token, no certificate, another CA's certificate, or a platform identity calling outside its
 * paths are all refused before any route runs; only health answers everyone.
 */
@QuarkusTest
@DeploymentTestResources
class CallersTest {

    static final String GROUPS = "/subscriptions/00000000-0000-0000-0000-0000000000c1/resourceGroups/rg/providers/"
            + "Microsoft.ContainerInstance/containerGroups?api-version=2025-09-01";

    @TestHTTPResource(value = "/", tls = true)
    URI base;

    HttpResponse<String> get(SSLContext tls, String path, String... headers) throws Exception {
        var client = HttpClient.newBuilder().sslContext(tls).build();
        var request = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static SSLContext as(Principal p) {
        return Tls.context(TestPki.identity(p));
    }

    @Test
    void theGatewayListsGroups_otherPlatformPrincipalsAreForbiddenWithACloudError() throws Exception {
        assertThat(get(as(Principal.service(ServiceName.API_GATEWAY)), GROUPS).statusCode()).isEqualTo(200);
        for (Principal p : List.of(Principal.service(ServiceName.ATTESTATION_SERVICE),
                Principal.service(ServiceName.PROMETHEUS), Principal.node("node-a"))) {
            var r = get(as(p), GROUPS);
            assertThat(r.statusCode()).as(p.commonName()).isEqualTo(403);
            assertThat(r.body()).contains("\"code\":\"AuthorizationFailed\"").contains(p.commonName());
        }
        // quota overrides are the operator's, not the gateway's
        assertThat(get(as(Principal.service(ServiceName.API_GATEWAY)), "/admin/quotas/x").statusCode())
                .isEqualTo(403);
        // so is releasing the liveness breaker
        assertThat(get(as(Principal.service(ServiceName.API_GATEWAY)), "/admin/liveness/release").statusCode())
                .isEqualTo(403);
        assertThat(get(as(Principal.service(ServiceName.API_GATEWAY)), "/q/metrics").statusCode()).isEqualTo(403);
        assertThat(get(as(Principal.service(ServiceName.PROMETHEUS)), "/q/metrics").statusCode()).isEqualTo(200);
        assertThat(get(as(Principal.node("node-a")), "/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void noCertificate_aTenantToken_orAnotherCa_areUnauthenticated() throws Exception {
        var ca = TestPki.identity(TestPki.OPERATOR).ca();
        SSLContext anonymous = Tls.anonymous(ca);
        var r = get(anonymous, GROUPS);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\":\"Unauthenticated\"");
        assertThat(get(anonymous, GROUPS, "Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.").statusCode())
                .isEqualTo(401);
        assertThat(get(anonymous, "/admin/quotas/x").statusCode()).isEqualTo(401);
        assertThat(get(anonymous, "/q/metrics").statusCode()).isEqualTo(401);
        // health says UP or DOWN to anyone (orchestrators' probes present no certificate)
        assertThat(get(anonymous, "/q/health/ready").statusCode()).isEqualTo(200);

        // a certificate named like the gateway, issued by a CA of the attacker's: refused in the handshake, or
        // (client certificates are requested, not required) never a principal
        Pki foreign = Pki.at(Files.createTempDirectory("foreign-pki"));
        IdentityDir impostor = foreign.ensure(Principal.service(ServiceName.API_GATEWAY), List.of("127.0.0.1"));
        SSLContext trustsUsButIsNotOurs = Tls.context(impostor.tls(), ca);
        try {
            assertThat(get(trustsUsButIsNotOurs, GROUPS).statusCode()).isEqualTo(401);
        } catch (IOException refusedInTheHandshake) {
            // refused before HTTP
        }
    }

    @Test
    void nonCanonicalPathsAreRefusedBeforeRouting() throws Exception {
        var gateway = as(Principal.service(ServiceName.API_GATEWAY));
        for (String p : List.of("/subscriptions/x/%2e%2e/%2e%2e/admin/quotas/x", "/q/health/..%2f..%2fadmin/quotas")) {
            assertThat(get(gateway, p).statusCode()).as(p).isEqualTo(403);
        }
    }
}
