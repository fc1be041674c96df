package dev.parma.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvents 1.0 envelope in JSON structured mode, for systems outside the control plane (billing, quota,
 * lifecycle consumers). {@code id} is unique per event and stable across re-publication, so consumers can
 * deduplicate by it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent<T>(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "/parma/deployment-service";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
    }

    public static <T> CloudEvent<T> of(String id, String type, String subject, Instant time, T data) {
        return new CloudEvent<>(SPEC_VERSION, id, SOURCE, type, subject, time, "application/json", data);
    }
}
