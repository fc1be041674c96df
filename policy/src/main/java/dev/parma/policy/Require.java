package dev.parma.policy;

/**
 * Argument checks for the library's public surface. A missing argument is bad input like any other, so it is an
 * {@link IllegalArgumentException} naming the parameter, never a bare {@link NullPointerException}.
 */
public final class Require {

    private Require() {
    }

    /** Returns {@code value}, or throws {@code IllegalArgumentException("<name> must not be null")}. */
    public static <T> T nonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** An immutable copy of {@code list}; the list and each element must be non-null. */
    public static <T> java.util.List<T> list(java.util.List<T> list, String name) {
        nonNull(list, name);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException(name + "[" + i + "] must not be null");
            }
        }
        return java.util.List.copyOf(list);
    }
}
