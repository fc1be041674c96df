package dev.parma.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    @Test
    void commonNamesRoundTrip() {
        for (var p : List.of(Principal.service(ServiceName.DEPLOYMENT_SERVICE), Principal.node("node-1"),
                Principal.operator("parma"))) {
            assertThat(Principal.fromCommonName(p.commonName())).isEqualTo(p);
        }
        assertThat(Principal.node("node-1").commonName()).isEqualTo("node-agent.node-1");
    }

    @Test
    void anythingElseIsNoPrincipal() {
        for (String cn : List.of("", "tenant", "node-agent.", "node-agent.Node1", "node-agent.a.b", "node-agent.-x",
                "operator.", "operator.a/b", "deployment-service ", "DEPLOYMENT-SERVICE")) {
            assertThatThrownBy(() -> Principal.fromCommonName(cn)).as(cn).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aCertificateWithMoreThanACommonNameNamesNobody() {
        var ca = PlatformCa.create("test CA");
        // the CA's own certificate is a CN too, but not a platform principal
        assertThat(Principal.of(ca.certificate())).isEmpty();
        var tls = ca.issue(Principal.node("n1"), Purpose.TLS, List.of("127.0.0.1"));
        assertThat(Principal.of(tls.certificate())).contains(Principal.node("n1"));
    }
}
