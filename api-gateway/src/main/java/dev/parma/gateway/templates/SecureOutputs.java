package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which outputs are derived from a secure parameter, and so are redacted like the parameter itself even when
 * declared {@code string}: {@code [base64(parameters('pw'))]} is the password. An output is derived when its value
 * names a secure parameter, or a variable that (transitively) does, or names a parameter or variable it computes
 * (then it could be any of them), or when its evaluated value contains a secure value. This over-approximates on
 * purpose: a redacted output costs a tenant a {@code reference()}, a leaked one costs a secret.
 */
final class SecureOutputs {

    /** A {@code parameters(…)} or {@code variables(…)} call; group 2 is its name when that is a literal. */
    private static final Pattern CALL = Pattern
            .compile("(?i)\\b(parameters|variables)\\s*\\(\\s*(?:'((?:[^']|'')*)'\\s*\\))?");
    /** Shorter secure values would redact outputs by coincidence; the textual rule covers their use. */
    private static final int MIN_VALUE_MATCH = 3;

    private final Set<String> secureParameters = new HashSet<>();
    private final Set<String> derivedVariables = new HashSet<>();
    private final List<String> secureValues;

    /**
     * @param declared the template's {@code parameters} section
     * @param variables its {@code variables} section
     * @param secureValues the texts of the secure parameters' values
     */
    SecureOutputs(JsonNode declared, JsonNode variables, List<String> secureValues) {
        this.secureValues = secureValues.stream().filter(s -> s.length() >= MIN_VALUE_MATCH).toList();
        declared.fields().forEachRemaining(p -> {
            JsonNode type = TemplateEngine.field(p.getValue(), "type");
            if (type != null && type.asText().toLowerCase(Locale.ROOT).startsWith("secure")) {
                secureParameters.add(p.getKey().toLowerCase(Locale.ROOT));
            }
        });
        Map<String, String> texts = new HashMap<>();
        variables.fields().forEachRemaining(v -> texts.put(v.getKey().toLowerCase(Locale.ROOT), v.getValue()
                .toString()));
        // a fixed point: a variable is derived if it names a secure parameter or a derived variable
        for (boolean grew = true; grew;) {
            grew = false;
            for (var v : texts.entrySet()) {
                if (!derivedVariables.contains(v.getKey()) && names(v.getValue())) {
                    derivedVariables.add(v.getKey());
                    grew = true;
                }
            }
        }
    }

    /** Whether the output declared as {@code value}, evaluated to {@code evaluated}, reveals a secure value. */
    boolean derived(JsonNode value, JsonNode evaluated) {
        if (value != null && names(value.toString())) {
            return true;
        }
        String shown = evaluated == null ? "" : evaluated.isTextual() ? evaluated.asText() : evaluated.toString();
        return secureValues.stream().anyMatch(shown::contains);
    }

    private boolean names(String text) {
        Matcher m = CALL.matcher(text);
        while (m.find()) {
            boolean parameter = m.group(1).equalsIgnoreCase("parameters");
            Set<String> tainted = parameter ? secureParameters : derivedVariables;
            if (m.group(2) == null
                    ? !tainted.isEmpty()
                    : tainted.contains(m.group(2).replace("''", "'").toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
