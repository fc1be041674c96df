package dev.parma.attestation.api;

import dev.parma.contracts.arm.CloudError;
import dev.parma.contracts.arm.CloudError.CloudErrorBody;
import java.util.regex.Pattern;

/**
 * The last word on what an error says: bounded in length (a message may quote what the caller sent) and never naming
 * an implementation class (a library's exception text sometimes does). Every CloudError passes through here on its way
 * out ({@link ErrorMappers#json}).
 */
public final class Messages {
    /** Longest message and target, in characters: enough to name a JSON path and what was wrong with it. */
    static final int MAX_MESSAGE = 1024;
    static final int MAX_TARGET = 256;
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:java|javax|jakarta|sun|jdk|dev\\.parma|io\\.quarkus|io\\.vertx|io\\.netty|io\\.smallrye"
                    + "|com\\.fasterxml|org\\.[a-z]+)(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+");

    private Messages() {
    }

    public static CloudError safe(CloudError e) {
        CloudErrorBody b = e.error();
        if (b == null) {
            return CloudError.of(AttestationErrors.INTERNAL, "The request failed.");
        }
        return new CloudError(new CloudErrorBody(b.code(), safe(b.message(), MAX_MESSAGE), safe(b.target(),
                MAX_TARGET),
                b.details() == null
                        ? null
                        : b.details().stream().limit(10).map(d -> safe(
                                new CloudError(d)).error()).toList()));
    }

    static String safe(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = CLASS_NAME.matcher(s).replaceAll("(internal)");
        return clean.length() > max ? clean.substring(0, max - 1) + "…" : clean;
    }
}
