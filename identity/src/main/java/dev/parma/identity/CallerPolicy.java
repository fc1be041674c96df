package dev.parma.identity;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which platform principals may call which paths of one service: rules in order, the first whose prefix matches the
 * path decides; no rule, no access. Services install it in front of every route, so a route added later is closed
 * until a rule opens it.
 */
public record CallerPolicy(List<Rule> rules) {

    /** Who may call paths that start with {@code prefix}; {@link #ANYONE} admits callers without a certificate. */
    public record Rule(String prefix, Predicate<Optional<Principal>> admits) {
    }

    public static final Predicate<Optional<Principal>> ANYONE = p -> true;
    public static final Predicate<Optional<Principal>> ANY_PLATFORM_PRINCIPAL = Optional::isPresent;

    public CallerPolicy {
        rules = List.copyOf(rules);
    }

    /** Admits the given services, and operators (who act for the platform). */
    public static Predicate<Optional<Principal>> services(ServiceName... names) {
        var allowed = List.of(names);
        return p -> p.isPresent() && (p.get() instanceof Principal.Operator
                || p.get() instanceof Principal.Service s && allowed.contains(s.name()));
    }

    /** The outcome for one request. */
    public enum Verdict {
        ALLOWED,
        /** No certificate where one is needed: 401. */
        UNAUTHENTICATED,
        /** A platform identity that may not call this path: 403. */
        FORBIDDEN
    }

    public Verdict check(String path, Optional<Principal> caller) {
        if (!canonical(path)) {
            return caller.isPresent() ? Verdict.FORBIDDEN : Verdict.UNAUTHENTICATED;
        }
        for (var rule : rules) {
            if (path.startsWith(rule.prefix())) {
                if (rule.admits().test(caller)) {
                    return Verdict.ALLOWED;
                }
                return caller.isPresent() ? Verdict.FORBIDDEN : Verdict.UNAUTHENTICATED;
            }
        }
        return caller.isPresent() ? Verdict.FORBIDDEN : Verdict.UNAUTHENTICATED;
    }

    /**
     * A raw request path no rule can be dodged with: absolute, no empty, {@code .} or {@code ..} segments, no
     * backslash and no escaped slash, backslash, dot or NUL that a later decoding step could turn into one.
     */
    static boolean canonical(String path) {
        if (path == null || !path.startsWith("/") || path.contains("//") || path.contains("/./")
                || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..") || path.indexOf('\\') >= 0) {
            return false;
        }
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return !(lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains("%00"));
    }
}
