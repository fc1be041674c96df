package dev.parma.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parma.policy.verity.VerityHash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * A real OCI registry (Debian's docker-registry, distribution 2.8) on a free loopback port, with busybox images
 * built here from busybox-static (no internet): {@code library/busybox:1.36} (also tagged {@code latest}) and
 * {@code library/busybox:tamper}. It fails (never skips) when docker-registry or busybox is missing:
 * scripts/install-deps.sh installs them. {@code main} seeds the same images into a registry that already runs
 * ({@code ./parma}'s).
 */
public final class OciRegistry implements AutoCloseable {

    /** host:port of the running registry. */
    public volatile String address;
    /** dm-verity root hash of each pushed tag's single layer image (the policy's layer hash). */
    public final Map<String, String> layerHash = new java.util.concurrent.ConcurrentHashMap<>();

    private static final ObjectMapper JSON = new ObjectMapper();
    private Process registry;
    private Path dir;

    /** Starts the registry and pushes the images; returns the node agent setting that points at it. */
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("parma-registry");
            int port;
            try (var s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            address = "127.0.0.1:" + port;
            Files.writeString(dir.resolve("config.yml"), String.join("\n", "version: 0.1", "log:", "  level: error",
                    "storage:", "  filesystem:", "    rootdirectory: " + dir.resolve("data"), "  delete:",
                    "    enabled: true", "http:", "  addr: " + address, ""));
            registry = new ProcessBuilder(which("docker-registry"), "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            var http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("docker-registry did not start: "
                                + Files.readString(dir.resolve("registry.log")));
                    }
                }
                Thread.sleep(50);
            }
            layerHash.putAll(seed(http, address, dir));
            return Map.of("parma.node.registry-mirror", address);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Seeds a running registry: {@code java -cp … dev.parma.testsupport.OciRegistry 127.0.0.1:5000} pushes the busybox
     * images and prints each tag's layer hash (what an execution policy lists).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: OciRegistry <host:port of a running registry>");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("parma-seed");
        seed(HttpClient.newHttpClient(), args[0], dir).forEach((tag, hash) -> System.out.println(
                "library/busybox:" + tag + " layer " + hash));
        run("rm", "-rf", dir.toString());
    }

    /** Pushes the busybox images to the registry at {@code address}; returns each tag's layer hash. */
    static Map<String, String> seed(HttpClient http, String address, Path dir)
            throws IOException, InterruptedException {
        var hashes = new java.util.TreeMap<String, String>();
        hashes.put("1.36", push(http, address, dir, "library/busybox", "1.36", List.of(), List.of()));
        hashes.put("latest", push(http, address, dir, "library/busybox", "latest", List.of(), List.of()));
        hashes.put("tamper", push(http, address, dir, "library/busybox", "tamper", List.of("tamper-me"), List.of()));
        return hashes;
    }

    /**
     * Pushes {@code library/busybox:<tag>} with host programs added, each at its own path together with the shared
     * libraries {@code ldd} names for it (busybox has no Unix socket client, for instance: {@code socat} is one), and
     * records its layer hash. Fails when a program is not installed.
     */
    public String pushWithPrograms(String tag, List<String> programs) {
        try {
            var files = new java.util.LinkedHashSet<Path>();
            for (String program : programs) {
                Path binary = Path.of(which(program));
                files.add(binary);
                var ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
                for (String token : new String(ldd.getInputStream().readAllBytes()).split("\\s+")) {
                    if (token.startsWith("/")) {
                        files.add(Path.of(token));
                    }
                }
                ldd.waitFor();
            }
            String hash = push(HttpClient.newHttpClient(), address, dir, "library/busybox", tag, List.of(),
                    List.copyOf(files));
            layerHash.put(tag, hash);
            return hash;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Builds a busybox rootfs layer (plus extra files, and host files copied to the same absolute paths), pushes layer,
     * config and manifest; returns the layer hash.
     */
    private static String push(HttpClient http, String address, Path dir, String repo, String tag,
            List<String> extraFiles, List<Path> hostFiles) throws IOException, InterruptedException {
        Path root = dir.resolve("rootfs-" + tag);
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("tmp"));
        // every applet, as Docker Hub's busybox has them (sh, gzip, sha256sum, sort, …)
        String busybox = which("busybox");
        Files.copy(Path.of(busybox), root.resolve("bin/busybox"));
        var list = new ProcessBuilder(busybox, "--list").start();
        for (String app : new String(list.getInputStream().readAllBytes()).split("\n")) {
            if (!app.isBlank() && !app.equals("busybox")) {
                Files.createSymbolicLink(root.resolve("bin").resolve(app.strip()), Path.of("busybox"));
            }
        }
        list.waitFor();
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/home:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nnobody:x:65534:\n");
        for (String f : extraFiles) {
            Files.writeString(root.resolve(f), f + "\n");
        }
        for (Path f : hostFiles) {
            Path copy = root.resolve(f.toString().substring(1));
            Files.createDirectories(copy.getParent());
            Files.copy(f, copy); // the file a symbolic link names, under the link's own path
        }
        Path tar = dir.resolve("layer-" + tag + ".tar");
        run("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-cf", tar.toString(),
                "-C", root.toString(), ".");
        byte[] tarBytes = Files.readAllBytes(tar);
        var gz = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(gz)) {
            out.write(tarBytes);
        }
        byte[] layer = gz.toByteArray();
        Path img = dir.resolve("layer-" + tag + ".img");
        Files.write(img, tarBytes);
        pad(img);
        String hash = VerityHash.rootHash(img);

        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        ObjectNode cc = config.putObject("config");
        cc.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        cc.putArray("Cmd").add("sh");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add("sha256:" + sha256(tarBytes));
        byte[] configBytes = JSON.writeValueAsBytes(config);

        upload(http, address, repo, layer);
        upload(http, address, repo, configBytes);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        ObjectNode c = m.putObject("config");
        c.put("mediaType", "application/vnd.oci.image.config.v1+json");
        c.put("digest", "sha256:" + sha256(configBytes));
        c.put("size", configBytes.length);
        ObjectNode l = m.putArray("layers").addObject();
        l.put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip");
        l.put("digest", "sha256:" + sha256(layer));
        l.put("size", layer.length);
        var resp = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/" + repo + "/manifests/"
                + tag)).header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(m))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 201) {
            throw new IOException("manifest push: " + resp.statusCode() + " " + resp.body());
        }
        return hash;
    }

    private static void upload(HttpClient http, String address, String repo, byte[] blob)
            throws IOException, InterruptedException {
        var start = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/" + repo
                + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        String location = start.headers().firstValue("Location").orElseThrow();
        URI uri = URI.create("http://" + address).resolve(location);
        String put = uri + (uri.getQuery() == null ? "?" : "&") + "digest=sha256:" + sha256(blob);
        var resp = http.send(HttpRequest.newBuilder(URI.create(put)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 201) {
            throw new IOException("blob push: " + resp.statusCode() + " " + resp.body());
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
    }

    static String which(String name) {
        for (String d : (System.getenv("PATH") + ":/usr/sbin:/sbin:/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: run scripts/install-deps.sh (as root)");
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.destroy();
        }
    }

    /** Zero-pads a layer tar to whole 4 KiB blocks (node-agent's LayerImages). */
    static void pad(Path tar) throws IOException {
        long size = Files.size(tar);
        long padded = Math.max(4096, (size + 4095) / 4096 * 4096);
        if (padded > size) {
            Files.write(tar, new byte[(int) (padded - size)], java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
