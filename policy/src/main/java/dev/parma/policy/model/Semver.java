package dev.parma.policy.model;

import dev.parma.policy.Require;

/** A {@code MAJOR.MINOR.PATCH} version as used for policy api/framework versions; compared numerically. */
public record Semver(int major, int minor, int patch) implements Comparable<Semver> {

    public Semver {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version parts must be non-negative");
        }
    }

    /** Parses {@code 0.10.0}; rejects anything else with the offending text in the message. */
    public static Semver parse(String text) {
        Require.nonNull(text, "version");
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a MAJOR.MINOR.PATCH version: \"" + text + "\"");
        }
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 9 || !parts[i].chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not a MAJOR.MINOR.PATCH version: \"" + text + "\"");
            }
            n[i] = Integer.parseInt(parts[i]);
        }
        return new Semver(n[0], n[1], n[2]);
    }

    /** Whether the text is a version {@link #parse} accepts. */
    public static boolean isSemver(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean atLeast(Semver other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Semver o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
