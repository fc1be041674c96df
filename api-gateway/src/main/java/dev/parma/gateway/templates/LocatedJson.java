package dev.parma.gateway.templates;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON document parsed leniently as ARM does (// and /* comments, trailing commas) that remembers where each
 * value starts, by JSON Pointer, so template errors can name a line and column.
 */
public final class LocatedJson {

    /** A 1-based position in the text. */
    public record Position(int line, int column) {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final JsonNode root;
    private final Map<String, Position> positions = new HashMap<>();

    private LocatedJson(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new TemplateError("", "The request content is empty");
            }
            root = read(p, "");
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new ParseError("Unexpected content after the end of the JSON document", l);
            }
        } catch (ParseError e) {
            throw e;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage();
            int nl = msg.indexOf('\n');
            throw new ParseError("The request content is not valid JSON: " + (nl > 0 ? msg.substring(0, nl) : msg), l);
        } catch (IOException e) {
            throw new TemplateError("", "The request content could not be read");
        }
    }

    public static LocatedJson parse(String text) {
        return new LocatedJson(text);
    }

    public JsonNode root() {
        return root;
    }

    /** The position of the value at {@code pointer}, or of its nearest located ancestor. */
    public Position locate(String pointer) {
        String p = pointer == null ? "" : pointer;
        while (true) {
            Position at = positions.get(p);
            if (at != null || p.isEmpty()) {
                return at;
            }
            p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
        }
    }

    private JsonNode read(JsonParser p, String pointer) throws IOException {
        JsonLocation l = p.currentTokenLocation();
        positions.put(pointer, new Position(l.getLineNr(), l.getColumnNr()));
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, read(p, pointer + "/" + escape(name)));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(p, pointer + "/" + i++));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(p.getBooleanValue());
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new ParseError("Unexpected token " + p.currentToken(), l);
        }
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Malformed JSON: an InvalidTemplate with the parser's line and column. */
    public static final class ParseError extends RuntimeException {
        public final int line;
        public final int column;

        ParseError(String message, JsonLocation l) {
            super(message);
            this.line = l == null ? 0 : l.getLineNr();
            this.column = l == null ? 0 : l.getColumnNr();
        }

        public dev.parma.gateway.arm.ArmError toArm() {
            return new dev.parma.gateway.arm.ArmError(400, dev.parma.contracts.arm.CloudError.of("InvalidTemplate",
                    "Deployment template validation failed: '" + getMessage() + "' at line '" + line + "' and column '"
                            + column + "'."));
        }
    }
}
