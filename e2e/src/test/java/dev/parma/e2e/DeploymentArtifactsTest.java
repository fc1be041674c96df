package dev.parma.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, deploy/k8s and deploy/prometheus cannot run here (no Docker, no cluster), so their structure
 * is checked: the YAML parses, every service has an image or a build, host ports are unique, every environment
 * variable given to a Parma service is one its application.properties reads, and every variable it needs
 * without a default is given. Prometheus scrapes every service.
 */
class DeploymentArtifactsTest {

    static final Path ROOT = Path.of(System.getProperty("parma.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    static final Set<String> RUNTIME_ENV = Set.of("JAVA_OPTS");

    /** Env vars a module's application.properties reads → whether it has a default. */
    static Map<String, Boolean> placeholders(String module) throws IOException {
        var out = new TreeMap<String, Boolean>();
        for (String line : Files
                .readAllLines(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            if (line.startsWith("#") || line.startsWith("%")) {
                continue; // profile-specific lines (dev, test) are not part of a deployment
            }
            var m = PLACEHOLDER.matcher(line);
            while (m.find()) {
                out.merge(m.group(1), m.group(2) != null, (a, b) -> a && b);
            }
        }
        return out;
    }

    @Test
    void composeIsWellFormedAndMatchesTheServicesConfiguration() throws IOException {
        JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        var services = compose.get("services");
        assertThat(services).isNotNull();
        assertThat(iterable(services.fieldNames())).contains("kafka", "postgres", "deployment-service",
                "attestation-service", "api-gateway", "node-1", "node-2", "prometheus", "grafana");
        var hostPorts = new HashSet<String>();
        services.fields().forEachRemaining(e -> {
            var s = e.getValue();
            assertThat(s.has("image") || s.has("build")).as(e.getKey() + " has an image or a build").isTrue();
            for (JsonNode port : iterable(s.path("ports").elements())) {
                String host = port.asText().split(":")[0];
                assertThat(hostPorts.add(host)).as("host port " + host + " of " + e.getKey() + " is unique").isTrue();
            }
        });
        services.fields().forEachRemaining(e -> {
            var module = e.getValue().path("build").path("args").path("MODULE").asText(null);
            if (module == null) {
                return;
            }
            try {
                var reads = placeholders(module);
                var given = iterable(e.getValue().path("environment").fieldNames());
                for (String env : given) {
                    if (!env.equals("<<") && !RUNTIME_ENV.contains(env)) {
                        assertThat(reads).as(e.getKey() + " sets " + env + ", which " + module + " reads")
                                .containsKey(env);
                    }
                }
                var inherited = new HashSet<>(given);
                if (e.getValue().path("environment").has("<<")) {
                    inherited.addAll(iterable(compose.path("x-service-env").fieldNames()));
                }
                reads.forEach((env, hasDefault) -> {
                    if (!hasDefault) {
                        assertThat(inherited).as(module + " needs " + env).contains(env);
                    }
                });
            } catch (IOException ex) {
                throw new AssertionError(ex);
            }
        });
    }

    @Test
    void prometheusScrapesEveryServiceAndNodeAgent() throws IOException {
        JsonNode prom = YAML.readTree(ROOT.resolve("deploy/prometheus/prometheus.yml").toFile());
        var targets = new ArrayList<String>();
        for (JsonNode job : prom.get("scrape_configs")) {
            assertThat(job.get("metrics_path").asText()).isEqualTo("/q/metrics");
            job.get("static_configs").forEach(c -> c.get("targets").forEach(t -> targets.add(t.asText())));
        }
        assertThat(targets).contains("api-gateway:9080", "deployment-service:8081", "attestation-service:8082",
                "node-1:8091", "node-2:8092");
    }

    @Test
    void kubernetesManifestsParseAndOnlySetVariablesTheServicesRead() throws IOException {
        Map<String, String> moduleOf = Map.of("deployment-service", "deployment-service", "attestation-service",
                "attestation-service", "api-gateway", "api-gateway", "node-agent", "node-agent");
        var external = new HashSet<String>();
        var kinds = new ArrayList<String>();
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : YAML.readValues(YAML.createParser(f.toFile()), JsonNode.class).readAll()) {
                    kinds.add(doc.get("kind").asText());
                    if (doc.path("metadata").path("name").asText().equals("parma-external")) {
                        doc.get("data").fieldNames().forEachRemaining(external::add);
                    }
                    String name = doc.path("metadata").path("name").asText();
                    if (moduleOf.containsKey(name) && doc.path("spec").has("template")) {
                        var reads = placeholders(moduleOf.get(name));
                        for (JsonNode c : doc.at("/spec/template/spec/containers")) {
                            for (JsonNode env : c.path("env")) {
                                if (RUNTIME_ENV.contains(env.get("name").asText())) {
                                    continue;
                                }
                                assertThat(reads).as(name + " sets " + env.get("name").asText())
                                        .containsKey(env.get("name").asText());
                            }
                            assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
                        }
                        assertThat(doc.at("/spec/template/metadata/annotations/prometheus.io~1path").asText())
                                .isEqualTo("/q/metrics");
                    }
                }
            }
        }
        assertThat(kinds).contains("Namespace", "ConfigMap", "Deployment", "Service", "DaemonSet");
        assertThat(external).contains("KAFKA_BOOTSTRAP_SERVERS", "PARMA_DEPLOYMENT_DB_URL", "PARMA_GATEWAY_DB_URL");
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        var out = new ArrayList<T>();
        it.forEachRemaining(out::add);
        return out;
    }
}
