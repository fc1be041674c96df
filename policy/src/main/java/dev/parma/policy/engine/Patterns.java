package dev.parma.policy.engine;

import java.util.concurrent.ConcurrentHashMap;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Fully anchored RE2 matching (hcsshim's anchor_pattern hardening): a rule {@code A=.+} must not match
 * {@code XA=x}. Compiled patterns are cached; policies are fixed so the set of patterns is bounded by the policy plus
 * one sandbox prefix per sandbox.
 */
final class Patterns {

    private static final int MAX_CACHED = 10_000;
    private static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private Patterns() {
    }

    /** Whole-string match; an invalid pattern matches nothing (the framework treats it as a failed rule). */
    static boolean fullMatch(String regex, String input) {
        Pattern p = compile(regex);
        return p != null && p.matches(input);
    }

    private static Pattern compile(String regex) {
        Pattern p = CACHE.get(regex);
        if (p != null) {
            return p;
        }
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return null;
        }
        if (CACHE.size() >= MAX_CACHED) {
            CACHE.clear();
        }
        CACHE.put(regex, p);
        return p;
    }

    /**
     * {@code dir} (literal) followed by the RE2 {@code suffix}, fully matched: the sandbox:// and hugepages://
     * mount-source rule. Cheap rejection first: the source must start with the directory.
     */
    static boolean underDir(String dir, String suffix, String input) {
        if (!input.startsWith(dir)) {
            return false;
        }
        return fullMatch(suffix, input.substring(dir.length()));
    }

    /** Whether a pattern compiles under RE2 syntax. */
    static boolean valid(String regex) {
        return compile(regex) != null;
    }
}
