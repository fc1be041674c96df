package dev.parma.attestation.evidence;

import static dev.parma.attestation.api.AttestationErrors.INVALID_REQUEST_CONTENT;
import static dev.parma.attestation.api.AttestationErrors.MISSING_REQUIRED_PROPERTY;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.api.AttestationException;
import dev.parma.attestation.evidence.AttestRequest.BoundData;
import dev.parma.attestation.evidence.AttestRequest.DataType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads MAA's request body: {@code report} is base64url of the JSON {@code {SnpReport, VcekCertChain, Endorsements}};
 * every problem is a 400 CloudError naming the JSON path.
 */
public final class AttestRequestParser {
    static final int MAX_UVM_ENDORSEMENTS = 4;

    private final ObjectMapper json;
    private final int maxNonceLength;

    public AttestRequestParser(ObjectMapper json, int maxNonceLength) {
        this.json = json;
        this.maxNonceLength = maxNonceLength;
    }

    public AttestRequest parse(byte[] body) {
        JsonNode root = readJson(body, "the request body", null);
        if (!root.isObject()) {
            throw bad("The request body must be a JSON object.", null);
        }
        JsonNode reportField = root.get("report");
        if (reportField == null || reportField.isNull()) {
            throw AttestationException.badRequest(MISSING_REQUIRED_PROPERTY, "The property 'report' is required.",
                    "report");
        }
        JsonNode envelope = readJson(decode(text(reportField, "report"), "report"), "report", "report");
        if (!envelope.isObject()) {
            throw bad("report must decode to a JSON object {SnpReport, VcekCertChain, Endorsements}.", "report");
        }
        JsonNode snp = envelope.get("SnpReport");
        if (snp == null || snp.isNull()) {
            throw AttestationException.badRequest(MISSING_REQUIRED_PROPERTY,
                    "The report envelope has no 'SnpReport'.", "report.SnpReport");
        }
        byte[] report = decode(text(snp, "report.SnpReport"), "report.SnpReport");
        Optional<String> chain = Optional.empty();
        JsonNode chainNode = envelope.get("VcekCertChain");
        if (chainNode != null && !chainNode.isNull()) {
            byte[] pem = decode(text(chainNode, "report.VcekCertChain"), "report.VcekCertChain");
            if (pem.length > 0) {
                chain = Optional.of(new String(pem, StandardCharsets.US_ASCII));
            }
        }
        return new AttestRequest(report, chain, endorsements(envelope.get("Endorsements")), data(root,
                "runtimeData"), data(root, "initTimeData"), nonce(root),
                optionalText(root, "draftPolicyForAttestation"));
    }

    /**
     * {@code Endorsements}: base64url of the JSON {@code {"Uvm": [base64url(COSE_Sign1)]}} as ACI's sidecar sends it
     * (the JSON object itself is accepted too); other kinds of endorsement are ignored.
     */
    private List<byte[]> endorsements(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        JsonNode endorsements = node.isObject()
                ? node
                : readJson(decode(text(node, "report.Endorsements"), "report.Endorsements"), "report.Endorsements",
                        "report.Endorsements");
        if (!endorsements.isObject()) {
            throw bad("report.Endorsements must decode to a JSON object {\"Uvm\": [...]}.", "report.Endorsements");
        }
        JsonNode uvm = endorsements.get("Uvm");
        if (uvm == null || uvm.isNull()) {
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (uvm.isArray()) {
            uvm.forEach(items::add);
        } else {
            items.add(uvm);
        }
        if (items.size() > MAX_UVM_ENDORSEMENTS) {
            throw bad("report.Endorsements.Uvm holds " + items.size() + " endorsements; at most "
                    + MAX_UVM_ENDORSEMENTS + " are read.", "report.Endorsements.Uvm");
        }
        List<byte[]> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = "report.Endorsements.Uvm[" + i + "]";
            out.add(decode(text(items.get(i), path), path));
        }
        return List.copyOf(out);
    }

    private Optional<BoundData> data(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw bad(field + " must be an object {data, dataType}.", field);
        }
        JsonNode data = node.get("data");
        if (data == null || data.isNull()) {
            throw AttestationException.badRequest(MISSING_REQUIRED_PROPERTY, field + ".data is required.", field
                    + ".data");
        }
        byte[] bytes = decode(text(data, field + ".data"), field + ".data");
        JsonNode typeNode = node.get("dataType");
        DataType type = DataType.BINARY;
        if (typeNode != null && !typeNode.isNull()) {
            String t = text(typeNode, field + ".dataType");
            type = switch (t.toLowerCase(Locale.ROOT)) {
                case "binary" -> DataType.BINARY;
                case "json" -> DataType.JSON;
                default -> throw bad(field + ".dataType must be 'Binary' or 'JSON', got '" + abbreviate(t) + "'.",
                        field + ".dataType");
            };
        }
        return Optional.of(new BoundData(bytes, type));
    }

    private Optional<String> nonce(JsonNode root) {
        JsonNode node = root.get("nonce");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        // the spec says string; the ACI sidecar sends a uint64 JSON number
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw bad("nonce must be a string or an integer.", "nonce");
        }
        String nonce = node.asText();
        if (nonce.length() > maxNonceLength) {
            throw bad("nonce is longer than " + maxNonceLength + " characters.", "nonce");
        }
        return Optional.of(nonce);
    }

    private static Optional<String> optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(text(node, field));
    }

    private JsonNode readJson(byte[] bytes, String what, String target) {
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw bad(what + " is empty.", target);
            }
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw bad(what + " is not valid JSON" + where + ".", target);
        } catch (java.io.IOException e) {
            throw bad(what + " cannot be read.", target);
        }
    }

    private static String text(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw bad(path + " must be a string.", path);
        }
        return node.asText();
    }

    private static byte[] decode(String value, String path) {
        return Base64s.decode(value).orElseThrow(() -> bad(path + " is neither base64 nor base64url.", path));
    }

    private static AttestationException bad(String message, String target) {
        return AttestationException.badRequest(INVALID_REQUEST_CONTENT, message, target);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
