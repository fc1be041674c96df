package dev.parma.contracts.node;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A container's liveness or readiness probe (ACI's {@code livenessProbe}/{@code readinessProbe}): what to run and
 * when. ACI's defaults apply to a timing left out (0): every 10 s, 1 s to answer, 3 failures in a row to fail, one
 * success to pass, no initial delay.
 */
public record Probe(Action action, int initialDelaySeconds, int periodSeconds, int failureThreshold,
        int successThreshold, int timeoutSeconds) {

    public Probe {
        Objects.requireNonNull(action, "action");
        initialDelaySeconds = Math.max(0, initialDelaySeconds);
        periodSeconds = periodSeconds > 0 ? periodSeconds : 10;
        failureThreshold = failureThreshold > 0 ? failureThreshold : 3;
        successThreshold = successThreshold > 0 ? successThreshold : 1;
        timeoutSeconds = timeoutSeconds > 0 ? timeoutSeconds : 1;
    }

    /** A probe with every timing at ACI's default. */
    public Probe(Action action) {
        this(action, 0, 0, 0, 0, 0);
    }

    /** What a probe does: a command in the container, or an HTTP GET to one of its ports. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Exec.class, name = "exec"),
            @JsonSubTypes.Type(value = HttpGet.class, name = "httpGet")
    })
    public sealed interface Action permits Exec, HttpGet {
    }

    /** Runs {@code command} in the container: exit code 0 is a success. */
    public record Exec(List<String> command) implements Action {

        public Exec {
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("an exec probe needs a command");
            }
        }
    }

    /** GETs {@code scheme://<node>:port/path}: a status from 200 to 399 is a success. */
    public record HttpGet(String path, int port, String scheme, List<Header> headers) implements Action {

        public HttpGet {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            path = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
            scheme = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
            headers = headers == null ? List.of() : List.copyOf(headers);
        }
    }

    /** A request header of an HTTP probe. */
    public record Header(String name, String value) {
    }
}
