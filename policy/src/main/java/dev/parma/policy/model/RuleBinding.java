package dev.parma.policy.model;

import dev.parma.policy.Require;
import dev.parma.policy.rego.Value;

/** What a policy binds an enforcement point to. */
public sealed interface RuleBinding {

    /** {@code point := data.framework.point}: the framework decides. */
    record Framework(String rule) implements RuleBinding {
        public Framework {
            Require.nonNull(rule, "rule");
        }
    }

    /** {@code point := {"allowed": true, ...}}: a fixed result (allow-all and deny-all forms). */
    record Constant(Value.Obj result) implements RuleBinding {
        public Constant {
            Require.nonNull(result, "result");
        }

        public boolean allowed() {
            return result.get("allowed") instanceof Value.Bool b && b.value();
        }
    }
}
