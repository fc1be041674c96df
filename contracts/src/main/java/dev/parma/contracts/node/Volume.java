package dev.parma.contracts.node;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A group volume as a node provides it. {@code secret} maps file names to base64 contents for {@link Kind#SECRET}
 * volumes. Like secure environment values these travel to the node (it must provide them) but are never printed:
 * {@link #toString()} names the files only.
 */
public record Volume(String name, Kind kind, Map<String, String> secret) {

    /** ACI's volume kinds; nodes provide EMPTY_DIR and SECRET. */
    public enum Kind {
        EMPTY_DIR, SECRET, AZURE_FILE, GIT_REPO
    }

    public Volume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        secret = secret == null ? Map.of() : Map.copyOf(secret);
    }

    public static Volume emptyDir(String name) {
        return new Volume(name, Kind.EMPTY_DIR, Map.of());
    }

    @Override
    public String toString() {
        return "Volume[name=" + name + ", kind=" + kind + (kind == Kind.SECRET
                ? ", secret=" + new TreeMap<>(secret).keySet() + " <values redacted>"
                : "") + "]";
    }
}
