package dev.parma.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.contracts.arm.CloudError;
import java.util.regex.Pattern;

/**
 * A backend's error answer as the tenant may see it: a CloudError with a code, no Java type names (a framework's
 * message such as "Cannot deserialize value of type java.util.ArrayList<…>" names our classes) and no more than a
 * few kilobytes. A clean answer passes unchanged; anything else keeps its code and target and gets a message of
 * ours.
 */
final class RelayedErrors {

    /** A Java package or class name as frameworks print them. */
    static final Pattern JAVA_NAME = Pattern
            .compile("\\b(java|javax|jakarta|dev\\.parma|io\\.quarkus|io\\.vertx|io\\.netty|org\\.hibernate"
                    + "|org\\.jboss|org\\.postgresql|com\\.fasterxml)\\.[a-z]");
    static final int MAX_BODY = 16 * 1024;
    private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9.]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RelayedErrors() {
    }

    private static String fallbackCode(int status) {
        return status == 503 ? "ServiceUnavailable" : status >= 500 ? "InternalServerError" : "BadRequest";
    }

    static String clean(int status, String body) {
        JsonNode error = null;
        try {
            error = body == null || body.length() > MAX_BODY ? null : JSON.readTree(body).get("error");
        } catch (Exception notJson) {
            // rebuilt below
        }
        String code = error != null && error.path("code").isTextual() && CODE.matcher(error.path("code").asText())
                .matches() ? error.path("code").asText() : fallbackCode(status);
        if (error != null && code.equals(error.path("code").asText()) && !JAVA_NAME.matcher(body).find()) {
            return body;
        }
        String target = error == null ? null : error.path("target").asText(null);
        if (target != null && (target.length() > 256 || JAVA_NAME.matcher(target).find())) {
            target = null;
        }
        try {
            return JSON.writeValueAsString(CloudError.of(code, status >= 500
                    ? "The request failed; retry it later."
                    : "The request is not valid (" + code + "): check its content against the API's schema.",
                    target));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
