package dev.parma.gateway.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.contracts.arm.CloudError;

/**
 * The body of ACI's Containers_ExecuteCommand, checked at the front door: a non-empty {@code command} of at most
 * 4096 characters and, optionally, {@code terminalSize.rows}/{@code cols} from 1 to 1000. ACI runs the command
 * without arguments; we split it on whitespace into argv (a superset).
 */
final class ExecRequest {

    static final int MAX_COMMAND = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExecRequest() {
    }

    /** The body as sent, if valid; a 400 CloudError naming the field otherwise. */
    static String validate(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            throw invalid("InvalidRequestContent", "The request content must be a JSON object with a 'command'.",
                    null);
        }
        JsonNode command = n.get("command");
        if (command == null || command.isNull()) {
            throw invalid("MissingRequiredProperty", "The 'command' is required.", "command");
        }
        if (!command.isTextual() || command.asText().isBlank() || command.asText().length() > MAX_COMMAND) {
            throw invalid("InvalidPropertyValue", "The 'command' must be a non-empty string of at most "
                    + MAX_COMMAND + " characters.", "command");
        }
        JsonNode size = n.get("terminalSize");
        if (size != null && !size.isNull()) {
            if (!size.isObject()) {
                throw invalid("InvalidPropertyValue", "The 'terminalSize' must be an object with 'rows' and"
                        + " 'cols'.", "terminalSize");
            }
            for (String f : new String[]{"rows", "cols"}) {
                JsonNode v = size.get(f);
                if (v != null && !v.isNull() && (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 1000)) {
                    throw invalid("InvalidPropertyValue", "The terminal size's '" + f + "' must be an integer from"
                            + " 1 to 1000.", "terminalSize." + f);
                }
            }
        }
        return body;
    }

    private static ArmError invalid(String code, String message, String target) {
        return new ArmError(400, CloudError.of(code, message, target));
    }
}
