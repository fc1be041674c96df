package dev.parma.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

/** Small assertions over decisions. */
final class Assertions2 {

    private Assertions2() {
    }

    static Decision.Allow allowed(Decision d) {
        assertThat(d.allowed()).as(() -> d instanceof Decision.Deny x ? x.report().toJson() : "").isTrue();
        return (Decision.Allow) d;
    }

    static Decision.Deny denied(Decision d, String... errorSubstrings) {
        assertThat(d.allowed()).as("expected a denial").isFalse();
        Decision.Deny deny = (Decision.Deny) d;
        for (String s : errorSubstrings) {
            assertThat(deny.errors()).as(deny.report().toJson()).anySatisfy(e -> assertThat(e).contains(s));
        }
        return deny;
    }
}
