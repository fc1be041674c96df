package dev.parma.identity;

import static dev.parma.identity.CallerPolicy.Verdict.ALLOWED;
import static dev.parma.identity.CallerPolicy.Verdict.FORBIDDEN;
import static dev.parma.identity.CallerPolicy.Verdict.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallerPolicyTest {

    final CallerPolicy policy = new CallerPolicy(List.of(
            new CallerPolicy.Rule("/exec/", CallerPolicy.ANYONE),
            new CallerPolicy.Rule("/q/metrics", CallerPolicy.services(ServiceName.PROMETHEUS)),
            new CallerPolicy.Rule("/", CallerPolicy.services(ServiceName.DEPLOYMENT_SERVICE))));

    final Optional<Principal> deployment = Optional.of(Principal.service(ServiceName.DEPLOYMENT_SERVICE));
    final Optional<Principal> gateway = Optional.of(Principal.service(ServiceName.API_GATEWAY));
    final Optional<Principal> otherNode = Optional.of(Principal.node("node-2"));
    final Optional<Principal> operator = Optional.of(Principal.operator("sre"));

    @Test
    void theFirstMatchingRuleDecides() {
        assertThat(policy.check("/groups/g/containers/c/logs", deployment)).isEqualTo(ALLOWED);
        assertThat(policy.check("/groups/g/containers/c/logs", operator)).isEqualTo(ALLOWED);
        assertThat(policy.check("/groups/g/containers/c/logs", gateway)).isEqualTo(FORBIDDEN);
        assertThat(policy.check("/groups/g/containers/c/logs", otherNode)).isEqualTo(FORBIDDEN);
        assertThat(policy.check("/groups/g/containers/c/logs", Optional.empty())).isEqualTo(UNAUTHENTICATED);
        assertThat(policy.check("/exec/abc", Optional.empty())).isEqualTo(ALLOWED);
        assertThat(policy.check("/q/metrics", deployment)).isEqualTo(FORBIDDEN);
    }

    @Test
    void nonCanonicalPathsCannotDodgeARule() {
        for (String p : List.of("/exec/../groups/g", "/exec/./x", "//groups", "/exec/..", "groups", "/exec\\..\\x",
                "/exec/%2e%2e/groups/g", "/exec/..%2Fgroups", "/exec/x%00")) {
            assertThat(policy.check(p, Optional.empty())).as(p).isEqualTo(UNAUTHENTICATED);
        }
    }

    @Test
    void withoutARuleNobodyGetsIn() {
        var closed = new CallerPolicy(List.of(new CallerPolicy.Rule("/q/health", CallerPolicy.ANY_PLATFORM_PRINCIPAL)));
        assertThat(closed.check("/admin", operator)).isEqualTo(FORBIDDEN);
        assertThat(closed.check("/q/health/ready", gateway)).isEqualTo(ALLOWED);
    }
}
