package dev.parma.node.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.guest.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Pulls images over the OCI distribution API (anonymous; plain HTTP for loopback and configured insecure
 * registries). The manifest's digest and every blob's digest are checked before anything is used; layers are
 * cached by digest as layer images (uncompressed tar, zero-padded to 4 KiB).
 */
public final class Registry {

    private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path cache;
    private final Optional<String> mirror;
    private final List<String> insecure;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public Registry(Path cache, Optional<String> mirror, List<String> insecure) {
        this.cache = cache;
        this.mirror = mirror;
        this.insecure = insecure;
    }

    public PulledImage pull(String image) throws IOException {
        ImageRef ref = ImageRef.parse(image, mirror);
        String base = scheme(ref.registry()) + "://" + ref.registry() + "/v2/" + ref.repository();
        var manifestResp = get(base + "/manifests/" + ref.reference(), ACCEPT);
        byte[] manifestBytes = manifestResp.body().readAllBytes();
        String digest = "sha256:" + sha256(manifestBytes);
        if (ref.byDigest() && !ref.reference().equals(digest)) {
            throw new IOException("manifest of " + image + " has digest " + digest + ", not " + ref.reference());
        }
        String header = manifestResp.headers().firstValue("Docker-Content-Digest").orElse(digest);
        if (!header.equals(digest)) {
            throw new IOException("manifest of " + image + " has digest " + digest + " but the registry says "
                    + header);
        }
        JsonNode manifest = JSON.readTree(manifestBytes);
        String mt = manifest.path("mediaType").asText("");
        if (mt.contains("index") || mt.contains("manifest.list")) {
            JsonNode chosen = null;
            for (JsonNode m : manifest.path("manifests")) {
                if ("amd64".equals(m.path("platform").path("architecture").asText())
                        && "linux".equals(m.path("platform").path("os").asText())) {
                    chosen = m;
                    break;
                }
            }
            if (chosen == null) {
                throw new IOException(image + " has no linux/amd64 manifest");
            }
            return pull(ref.registry() + "/" + ref.repository() + "@" + chosen.path("digest").asText());
        }
        byte[] configBytes = blob(base, manifest.path("config").path("digest").asText());
        JsonNode config = JSON.readTree(configBytes).path("config");
        List<Path> layers = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) {
            layers.add(layer(base, l.path("digest").asText(), l.path("mediaType").asText("")));
        }
        return new PulledImage(image, digest, strings(config.path("Entrypoint")), strings(config.path("Cmd")),
                strings(config.path("Env")), text(config.path("WorkingDir")), text(config.path("User")), layers);
    }

    private Path layer(String base, String digest, String mediaType) throws IOException {
        Path out = cache.resolve("layers").resolve(digest.replace(':', '_') + ".img");
        synchronized (locks.computeIfAbsent(digest, d -> new Object())) {
            if (Files.exists(out)) {
                return out;
            }
            OwnerOnly.directory(out.getParent()); // layer images (0600, as temp files are) are the agent's alone
            Path blob = Files.createTempFile(out.getParent(), "blob", ".tmp");
            try {
                try (InputStream in = get(base + "/blobs/" + digest, "*/*").body();
                        OutputStream o = Files.newOutputStream(blob)) {
                    var md = sha256Digest();
                    new DigestInputStream(in, md).transferTo(o);
                    check(digest, md);
                }
                Path img = Files.createTempFile(out.getParent(), "layer", ".tmp");
                try (InputStream raw = Files.newInputStream(blob);
                        InputStream in = mediaType.endsWith("gzip") || mediaType.endsWith(".tar+gzip")
                                ? new GZIPInputStream(raw, 65536)
                                : raw;
                        OutputStream o = Files.newOutputStream(img)) {
                    in.transferTo(o);
                }
                LayerImages.pad(img);
                Files.move(img, out, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(blob);
            }
            return out;
        }
    }

    private byte[] blob(String base, String digest) throws IOException {
        byte[] b = get(base + "/blobs/" + digest, "*/*").body().readAllBytes();
        if (!("sha256:" + sha256(b)).equals(digest)) {
            throw new IOException("blob " + digest + " does not match its digest");
        }
        return b;
    }

    private HttpResponse<InputStream> get(String url, String accept) throws IOException {
        try {
            var resp = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new IOException("GET " + url + " → " + resp.statusCode());
            }
            return resp;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String scheme(String registry) {
        String host = registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                || insecure.contains(registry) ? "http" : "https";
    }

    private static void check(String digest, MessageDigest md) throws IOException {
        String got = "sha256:" + HexFormat.of().formatHex(md.digest());
        if (!got.equals(digest)) {
            throw new IOException("blob " + digest + " does not match its digest (got " + got + ")");
        }
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha256Digest().digest(b));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Optional<String> text(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
    }
}
