package dev.parma.attestation.policy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed attestation policy in the subset of MAA's text language we implement ({@link PolicyParser}).
 *
 * <p>
 * Semantics: authorization rules are tried in order and the first rule whose conditions all hold decides (permit or
 * deny); if none holds, the evidence is not authorized. Then every issuance rule whose conditions hold adds its claim,
 * unless the claim is {@link ReservedClaims reserved} for the service.
 *
 * @param text the exact policy text (hashed for x-ms-policy-hash)
 */
public record AttestationPolicy(String text, List<Rule> authorization, List<Rule> issuance) {

    public AttestationPolicy {
        authorization = List.copyOf(authorization);
        issuance = List.copyOf(issuance);
    }

    /** A comparison operator. */
    public enum Op {
        EQ("=="), NE("!="), GE(">="), GT(">"), LE("<="), LT("<");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    /** {@code [type=="t", value OP v]}, optionally bound to a variable ({@code c:[type=="t"]}). */
    public record Condition(String variable, String claimType, Op op, Object value) {
    }

    /** What a rule does when its conditions hold. */
    public sealed interface Action {
    }

    public record Permit() implements Action {
    }

    public record Deny() implements Action {
    }

    /** {@code issue(type="t", value=c.value)} ({@code fromVariable}) or {@code value=<literal>}. */
    public record Issue(String type, String fromVariable, Object literal) implements Action {
    }

    public record Rule(List<Condition> conditions, Action action) {
    }

    /** The outcome: permitted or not, and the claims issuance rules added. */
    public record Decision(boolean permitted, String reason, Map<String, Object> issued) {
    }

    public Decision evaluate(Map<String, Object> claims) {
        Boolean permitted = null;
        String reason = "no authorization rule matched the evidence";
        for (int i = 0; i < authorization.size(); i++) {
            Rule r = authorization.get(i);
            if (bind(r.conditions(), claims).isPresent()) {
                permitted = r.action() instanceof Permit;
                reason = (permitted ? "permitted" : "denied") + " by authorization rule " + (i + 1);
                break;
            }
        }
        Map<String, Object> issued = new LinkedHashMap<>();
        if (Boolean.TRUE.equals(permitted)) {
            for (Rule r : issuance) {
                Optional<Map<String, Object>> vars = bind(r.conditions(), claims);
                // never a reserved claim, even from a policy stored before uploads refused them
                if (vars.isPresent() && r.action() instanceof Issue issue && !ReservedClaims.isReserved(issue
                        .type())) {
                    Object v = issue.fromVariable() != null ? vars.get().get(issue.fromVariable()) : issue.literal();
                    if (v != null) {
                        issued.put(issue.type(), v);
                    }
                }
            }
        }
        return new Decision(Boolean.TRUE.equals(permitted), reason, issued);
    }

    /** The variables bound by the conditions if all hold. */
    private static Optional<Map<String, Object>> bind(List<Condition> conditions, Map<String, Object> claims) {
        Map<String, Object> vars = new HashMap<>();
        for (Condition c : conditions) {
            Object got = claims.get(c.claimType());
            if (got == null || c.op() != null && !compare(got, c.op(), c.value())) {
                return Optional.empty();
            }
            if (c.variable() != null) {
                vars.put(c.variable(), got);
            }
        }
        return Optional.of(vars);
    }

    static boolean compare(Object got, Op op, Object want) {
        if (want instanceof BigDecimal w) {
            BigDecimal g = number(got);
            if (g == null) {
                return false;
            }
            int cmp = g.compareTo(w);
            return switch (op) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case GE -> cmp >= 0;
                case GT -> cmp > 0;
                case LE -> cmp <= 0;
                case LT -> cmp < 0;
            };
        }
        boolean eq = want instanceof Boolean b ? b.equals(got) : want.equals(got);
        return switch (op) {
            case EQ -> eq;
            case NE -> !eq;
            default -> false; // ordering applies to numbers only
        };
    }

    private static BigDecimal number(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return null;
    }
}
