package dev.parma.cli;

import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code parma}, the tenant CLI: deploys an ARM template and watches it, watches a group, shows its events and
 * a container's logs, and verifies an attestation token against its issuer's JWKS. Settings come from options
 * or the environment: PARMA_GATEWAY, PARMA_TOKEN, PARMA_SUBSCRIPTION, PARMA_RESOURCE_GROUP, PARMA_ATTESTATION.
 */
public final class Main {

    static final String CI = "2025-09-01";
    static final String RES = "2024-03-01";
    static final Set<String> TERMINAL = Set.of("Succeeded", "Failed", "Canceled");

    final PrintStream out;
    final Map<String, String> env;
    final HttpClient http;
    String gateway;
    String token;
    String subscription;
    String resourceGroup;
    Duration poll = Duration.ofSeconds(1);
    Duration timeout = Duration.ofMinutes(10);

    Main(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
        http = Trust.client(env.get("PARMA_CA"));
        gateway = env.getOrDefault("PARMA_GATEWAY", "http://127.0.0.1:8080");
        token = env.get("PARMA_TOKEN");
        subscription = env.getOrDefault("PARMA_SUBSCRIPTION", "00000000-0000-0000-0000-000000000001");
        resourceGroup = env.getOrDefault("PARMA_RESOURCE_GROUP", "demo");
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new Main(System.out, System.getenv()).run(args);
        } catch (Usage e) {
            System.err.println(e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("parma: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    static final String USAGE = """
            usage: parma <command> [options]
              deploy <template.json> [--param name=value]... [--parameters params.json] [--name deployment]
                                        deploy an ARM template and watch it to a terminal state
              watch <group>             watch a container group until it is Running or has failed
              events <group>            the group's and its containers' events
              logs <group> <container> [--tail N] [--timestamps]
              exec <group> <container> <command...>
                                        run a command in a container, stdin/stdout attached (no terminal)
              attest-verify <token|file|url> [--issuer url]
                                        verify an attestation token (RS256) with its issuer's JWKS
            options: --gateway URL --token JWT --subscription ID --resource-group NAME
            environment: PARMA_GATEWAY PARMA_TOKEN PARMA_SUBSCRIPTION PARMA_RESOURCE_GROUP PARMA_ATTESTATION""";

    int run(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        String paramsFile = null;
        String name = null;
        Integer tail = null;
        boolean timestamps = false;
        String issuer = env.getOrDefault("PARMA_ATTESTATION", "http://127.0.0.1:8082");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--timestamps")) {
                timestamps = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new Usage(a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--gateway" -> gateway = v;
                case "--token" -> token = v;
                case "--subscription" -> subscription = v;
                case "--resource-group" -> resourceGroup = v;
                case "--name" -> name = v;
                case "--parameters" -> paramsFile = v;
                case "--tail" -> tail = Integer.parseInt(v);
                case "--issuer" -> issuer = v;
                case "--param" -> {
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw new Usage("--param takes name=value, got '" + v + "'");
                    }
                    params.put(v.substring(0, eq), v.substring(eq + 1));
                }
                default -> throw new Usage("unknown option " + a + "\n" + USAGE);
            }
        }
        if (positional.isEmpty()) {
            throw new Usage(USAGE);
        }
        String command = positional.get(0);
        return switch (command) {
            case "deploy" -> deploy(arg(positional, 1, "a template file"), params, paramsFile, name);
            case "watch" -> watch(arg(positional, 1, "a group name"));
            case "events" -> events(arg(positional, 1, "a group name"));
            case "logs" -> logs(arg(positional, 1, "a group name"), arg(positional, 2, "a container name"), tail,
                    timestamps);
            case "exec" -> exec(arg(positional, 1, "a group name"), arg(positional, 2, "a container name"),
                    String.join(" ", positional.subList(Math.min(3, positional.size()), positional.size())));
            case "attest-verify" -> attestVerify(arg(positional, 1, "a token, a file or a URL"), issuer);
            default -> throw new Usage("unknown command '" + command + "'\n" + USAGE);
        };
    }

    static String arg(List<String> p, int i, String what) {
        if (p.size() <= i) {
            throw new Usage(p.get(0) + " needs " + what + "\n" + USAGE);
        }
        return p.get(i);
    }

    // ---- deploy ----

    /** The deployment request: the template text verbatim, parameters as {name: {value}}. */
    static String deploymentBody(String templateText, Map<String, String> params, String paramsFileText) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (paramsFileText != null) {
            Object file = Json.parse(paramsFileText);
            Object inner = Json.at(file, "parameters");
            @SuppressWarnings("unchecked")
            Map<String, Object> given = (Map<String, Object>) (inner instanceof Map<?, ?> ? inner : file);
            parameters.putAll(given);
        }
        params.forEach((k, v) -> parameters.put(k, Map.of("value", paramValue(v))));
        Json.parse(templateText); // fail early, with a line and column, on a broken file
        return "{\"properties\": {\"mode\": \"Incremental\", \"parameters\": " + Json.write(parameters)
                + ",\n\"template\": " + templateText + "}}";
    }

    /** --param values: JSON if they parse as a number, boolean, array or object; otherwise a string. */
    static Object paramValue(String v) {
        try {
            Object parsed = Json.parse(v);
            if (!(parsed instanceof String) && parsed != null) {
                return parsed;
            }
        } catch (IllegalArgumentException notJson) {
            // a plain string
        }
        return v;
    }

    int deploy(String file, Map<String, String> params, String paramsFile, String name) throws Exception {
        String text = Files.readString(Path.of(file));
        String body = deploymentBody(text, params, paramsFile == null ? null : Files.readString(Path.of(paramsFile)));
        String deployment = name != null
                ? name
                : Path.of(file).getFileName().toString().replaceAll("\\.json$", "").replaceAll("[^-\\w.()]", "-");
        String path = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Resources/deployments/" + deployment;
        var put = send("PUT", path + "?api-version=" + RES, body);
        if (put.statusCode() >= 300) {
            return error(put);
        }
        out.println("deployment " + deployment + " accepted (" + put.statusCode() + ")");
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> last = new LinkedHashMap<>();
        while (Instant.now().isBefore(deadline)) {
            Object d = Json.parse(send("GET", path + "?api-version=" + RES, null).body());
            String state = Json.str(d, "properties", "provisioningState");
            show(last, "deployment " + deployment, state);
            Object resources = Json.at(d, "properties", "outputResources");
            if (resources instanceof List<?> list) {
                for (Object r : list) {
                    String id = Json.str(r, "id");
                    var g = send("GET", id + "?api-version=" + CI, null);
                    if (g.statusCode() == 200) {
                        Object group = Json.parse(g.body());
                        show(last, "  " + id.substring(id.lastIndexOf('/') + 1), describe(group));
                    }
                }
            }
            if (TERMINAL.contains(state)) {
                Object outputs = Json.at(d, "properties", "outputs");
                if (outputs instanceof Map<?, ?> m && !m.isEmpty()) {
                    out.println("outputs:");
                    m.forEach((k, v) -> out.println("  " + k + " = " + Json.str(v, "value")));
                }
                if (!state.equals("Succeeded")) {
                    out.println("error: " + Json.write(Json.at(d, "properties", "error")));
                    return 1;
                }
                return 0;
            }
            Thread.sleep(poll.toMillis());
        }
        out.println("gave up after " + timeout);
        return 1;
    }

    // ---- watch, events, logs ----

    String groupPath(String group) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.ContainerInstance/containerGroups/" + group;
    }

    static String describe(Object group) {
        String prov = Json.str(group, "properties", "provisioningState");
        String state = Json.str(group, "properties", "instanceView", "state");
        StringBuilder sb = new StringBuilder(prov + (state.isEmpty() ? "" : " / " + state));
        Object containers = Json.at(group, "properties", "containers");
        if (containers instanceof List<?> list) {
            int running = 0;
            for (Object c : list) {
                if ("Running".equals(Json.str(c, "properties", "instanceView", "currentState", "state"))) {
                    running++;
                }
            }
            sb.append("  [").append(bar(running, list.size())).append("] ").append(running).append('/')
                    .append(list.size()).append(" containers running");
        }
        return sb.toString();
    }

    static String bar(int done, int total) {
        int width = 10;
        int filled = total == 0 ? 0 : done * width / total;
        return "#".repeat(filled) + ".".repeat(width - filled);
    }

    private void show(Map<String, String> last, String what, String state) {
        if (!state.equals(last.get(what))) {
            last.put(what, state);
            out.println(Instant.now().toString().substring(11, 19) + "  " + what + ": " + state);
        }
    }

    int watch(String group) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> last = new LinkedHashMap<>();
        while (Instant.now().isBefore(deadline)) {
            var r = send("GET", groupPath(group) + "?api-version=" + CI, null);
            if (r.statusCode() != 200) {
                return error(r);
            }
            Object g = Json.parse(r.body());
            show(last, group, describe(g));
            String prov = Json.str(g, "properties", "provisioningState");
            String state = Json.str(g, "properties", "instanceView", "state");
            if (prov.equals("Failed") || state.equals("Failed") || state.equals("Stopped")) {
                return 1;
            }
            if (prov.equals("Succeeded") && (state.equals("Running") || state.equals("Succeeded"))) {
                return 0;
            }
            Thread.sleep(poll.toMillis());
        }
        out.println("gave up after " + timeout);
        return 1;
    }

    int events(String group) throws Exception {
        var r = send("GET", groupPath(group) + "?api-version=" + CI, null);
        if (r.statusCode() != 200) {
            return error(r);
        }
        Object g = Json.parse(r.body());
        List<String[]> rows = new ArrayList<>();
        collectEvents(rows, "(group)", Json.at(g, "properties", "instanceView", "events"));
        Object containers = Json.at(g, "properties", "containers");
        if (containers instanceof List<?> list) {
            for (Object c : list) {
                collectEvents(rows, Json.str(c, "name"), Json.at(c, "properties", "instanceView", "events"));
            }
        }
        rows.sort((a, b) -> a[0].compareTo(b[0]));
        for (String[] row : rows) {
            out.println(String.join("  ", row));
        }
        if (rows.isEmpty()) {
            out.println("no events");
        }
        return 0;
    }

    private static void collectEvents(List<String[]> rows, String source, Object events) {
        if (events instanceof List<?> list) {
            for (Object e : list) {
                rows.add(new String[]{Json.str(e, "lastTimestamp"), source, Json.str(e, "type"), Json.str(e, "name"),
                        Json.str(e, "message")});
            }
        }
    }

    int logs(String group, String container, Integer tail, boolean timestamps) throws Exception {
        String q = "?api-version=" + CI + (tail == null ? "" : "&tail=" + tail)
                + (timestamps ? "&timestamps=true" : "");
        var r = send("GET", groupPath(group) + "/containers/" + URLEncoder.encode(container, StandardCharsets.UTF_8)
                + "/logs" + q, null);
        if (r.statusCode() != 200) {
            return error(r);
        }
        out.print(Json.str(Json.parse(r.body()), "content"));
        return 0;
    }

    /** ACI's Containers_ExecuteCommand, then the node's websocket; the process's exit code is ours. */
    int exec(String group, String container, String command) throws Exception {
        if (command.isBlank()) {
            throw new Usage("exec needs a command\n" + USAGE);
        }
        var r = send("POST", groupPath(group) + "/containers/" + URLEncoder.encode(container, StandardCharsets.UTF_8)
                + "/exec?api-version=" + CI, Json.write(Map.of("command", command)));
        if (r.statusCode() != 200) {
            return error(r);
        }
        Object session = Json.parse(r.body());
        return ExecSession.attach(http, URI.create(Json.str(session, "webSocketUri")), Json.str(session, "password"),
                System.in, out, System.err);
    }

    // ---- attestation ----

    int attestVerify(String source, String issuer) throws Exception {
        String jwt = source;
        if (source.startsWith("http://") || source.startsWith("https://")) {
            String body = http.send(HttpRequest.newBuilder(URI.create(source)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body().trim();
            jwt = body.startsWith("{") ? Json.str(Json.parse(body), "token") : body;
        } else if (Files.isRegularFile(Path.of(source))) {
            jwt = Files.readString(Path.of(source)).trim();
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            out.println("not a JWS compact token");
            return 1;
        }
        Object header = Json.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        Object claims = Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        String alg = Json.str(header, "alg");
        if (!alg.equals("RS256")) {
            out.println("refused: algorithm '" + alg + "' (RS256 expected)");
            return 1;
        }
        String iss = Json.str(claims, "iss");
        String base = issuer.replaceAll("/$", "");
        if (!iss.replaceAll("/$", "").equals(base)) {
            out.println("refused: issuer '" + iss + "' is not " + base);
            return 1;
        }
        Object discovery = Json.parse(get(base + "/.well-known/openid-configuration"));
        Object jwks = Json.parse(get(Json.str(discovery, "jwks_uri")));
        PublicKey key = null;
        Object keys = Json.at(jwks, "keys");
        if (keys instanceof List<?> list) {
            for (Object k : list) {
                if (Json.str(k, "kid").equals(Json.str(header, "kid")) && "RSA".equals(Json.str(k, "kty"))) {
                    key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            new BigInteger(1, Base64.getUrlDecoder().decode(Json.str(k, "n"))),
                            new BigInteger(1, Base64.getUrlDecoder().decode(Json.str(k, "e")))));
                }
            }
        }
        if (key == null) {
            out.println("refused: no key '" + Json.str(header, "kid") + "' in the issuer's JWKS");
            return 1;
        }
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(key);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
            out.println("refused: the signature does not verify");
            return 1;
        }
        Object exp = Json.at(claims, "exp");
        if (exp instanceof Number n && n.longValue() < Instant.now().getEpochSecond()) {
            out.println("refused: expired at " + Instant.ofEpochSecond(n.longValue()));
            return 1;
        }
        out.println("verified: signed by " + iss + " (kid " + Json.str(header, "kid") + ")");
        for (String c : List.of("x-ms-attestation-type", "x-ms-compliance-status", "x-ms-sevsnpvm-hostdata",
                "x-ms-sevsnpvm-is-debuggable", "x-ms-sevsnpvm-launchmeasurement", "exp")) {
            Object v = Json.at(claims, c);
            if (v != null) {
                out.println("  " + c + ": " + v);
            }
        }
        return 0;
    }

    // ---- HTTP ----

    private String get(String url) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
        }
        return r.body();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(gateway.replaceAll("/$", "") + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int error(HttpResponse<String> r) {
        String code = "";
        String message = r.body();
        try {
            Object e = Json.parse(r.body());
            code = Json.str(e, "error", "code");
            message = Json.str(e, "error", "message");
        } catch (IllegalArgumentException notJson) {
            // show the body as it is
        }
        out.println("error " + r.statusCode() + (code.isEmpty() ? "" : " " + code) + ": " + message);
        if (r.statusCode() == 401) {
            out.println("hint: set PARMA_TOKEN (locally: export PARMA_TOKEN=$(./parma token --tenant <you>))");
        }
        return 1;
    }
}
