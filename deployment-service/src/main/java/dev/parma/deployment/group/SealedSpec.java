package dev.parma.deployment.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parma.contracts.Json;
import dev.parma.deployment.config.DeploymentConfig;
import dev.parma.identity.MasterKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * The stored spec with its write-only values sealed under the service's master key: secure environment values,
 * secret volume contents and storage account keys become {@code "sealed:v1:<base64>"} in the database (AES-256-GCM,
 * {@link MasterKey}) and are opened when a row is read, so a database dump or backup holds no tenant secret in
 * clear. Values stored before sealing (plain strings) are read as they are and sealed on their group's next write.
 */
@Converter
@ApplicationScoped
public class SealedSpec implements AttributeConverter<String, String> {

    static final String PREFIX = "sealed:v1:";
    private static final String CONTEXT = "parma_deployment.container_groups.spec";

    private final MasterKey key;

    SealedSpec(DeploymentConfig config) {
        this.key = MasterKey.fromBase64(config.masterKey(), "parma.deployment.master-key");
    }

    @Override
    public String convertToDatabaseColumn(String spec) {
        if (spec == null || !(spec.contains("secureValue") || spec.contains("secret")
                || spec.contains("storageAccountKey"))) {
            return spec;
        }
        return rewrite(spec, v -> v.startsWith(PREFIX)
                ? v
                : PREFIX + Base64.getEncoder()
                        .encodeToString(key.seal(v.getBytes(StandardCharsets.UTF_8), CONTEXT)));
    }

    @Override
    public String convertToEntityAttribute(String column) {
        if (column == null || !column.contains(PREFIX)) {
            return column;
        }
        return rewrite(column, v -> !v.startsWith(PREFIX)
                ? v
                : new String(key.open(Base64.getDecoder()
                        .decode(v.substring(PREFIX.length())), CONTEXT), StandardCharsets.UTF_8));
    }

    /** Applies {@code f} to every write-only string value of an ARM properties document. */
    private static String rewrite(String spec, UnaryOperator<String> f) {
        try {
            JsonNode root = Json.mapper().readTree(spec);
            for (String list : new String[]{"containers", "initContainers"}) {
                for (JsonNode c : root.path(list)) {
                    for (JsonNode v : c.path("properties").path("environmentVariables")) {
                        apply(v, "secureValue", f);
                    }
                }
            }
            for (JsonNode v : root.path("volumes")) {
                if (v.get("secret") instanceof ObjectNode secret) {
                    secret.fieldNames().forEachRemaining(name -> apply(secret, name, f));
                }
                apply(v.path("azureFile"), "storageAccountKey", f);
            }
            return Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored spec is not JSON", e);
        }
    }

    private static void apply(JsonNode holder, String field, UnaryOperator<String> f) {
        if (holder instanceof ObjectNode o && o.get(field) instanceof TextNode t) {
            o.put(field, f.apply(t.asText()));
        }
    }
}
