package dev.parma.node.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.guest.GuestMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The simulated UVM's image: the guest agent's class path (its jar and the libraries it needs, in a fixed order)
 * and its launch config (main class, JVM options). Launching measures exactly these bytes page by page, and the
 * UVM process runs exactly these files, so the launch digest says what code the guest runs.
 *
 * @param classpath the measured class path entries (jar files or class directories), in launch order
 * @param cdsArchive the guest's class-data-sharing archive ({@link GuestCds}), if any: measured after the class path
 * @param config the measured launch config (UTF-8 JSON)
 */
public record UvmImage(List<Path> classpath, Optional<Path> cdsArchive, byte[] config) {

    /** Guest physical address where the first image page is loaded (1 MiB, above the legacy area). */
    public static final long BASE_GPA = 0x100000L;

    /** The guest agent's own code and its dependencies, found where this JVM loaded them from. */
    public static UvmImage locate(String jvmOptions) {
        return locate(jvmOptions, Optional.empty());
    }

    /** The same image launched with a class-data-sharing archive (part of the config and of the measured pages). */
    public UvmImage withCdsArchive(Path archive) {
        try {
            var cfg = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(config);
            return locate(cfg.path("jvmOptions").asText(), Optional.of(archive));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UvmImage locate(String jvmOptions, Optional<Path> cdsArchive) {
        List<Path> cp = new ArrayList<>();
        for (Class<?> anchor : List.of(GuestMain.class, dev.parma.policy.engine.PolicyEngine.class,
                dev.parma.snp.abi.AttestationReport.class, com.google.re2j.Pattern.class,
                org.bouncycastle.jce.provider.BouncyCastleProvider.class,
                org.bouncycastle.asn1.x509.Certificate.class, org.bouncycastle.cert.X509CertificateHolder.class,
                ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class)) {
            try {
                Path p = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!cp.contains(p)) {
                    cp.add(p);
                }
            } catch (URISyntaxException | NullPointerException e) {
                throw new IllegalStateException("cannot locate the code of " + anchor.getName(), e);
            }
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("mainClass", GuestMain.class.getName());
        cfg.put("jvmOptions", jvmOptions);
        cfg.put("classpath", cp.stream().map(p -> p.getFileName().toString()).toList());
        cdsArchive.ifPresent(a -> cfg.put("cdsArchive", a.getFileName().toString()));
        try {
            return new UvmImage(List.copyOf(cp), cdsArchive, new ObjectMapper().writeValueAsBytes(cfg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JVM options of the launch: the configured ones, plus the archive to map. */
    public List<String> jvmArgs(String jvmOptions) {
        List<String> args = new ArrayList<>(java.util.Arrays.stream(jvmOptions.trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList());
        cdsArchive.ifPresent(a -> args.add("-XX:SharedArchiveFile=" + a));
        return args;
    }

    public String classpathString() {
        return String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList());
    }

    /**
     * The measured content in page order: the config, then each class path entry (a jar's bytes, or a class
     * directory's files in path order, each preceded by its relative path).
     */
    public List<byte[]> contents() {
        List<byte[]> out = new ArrayList<>();
        out.add(config);
        for (Path p : classpath) {
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                            out.add(p.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                            out.add(Files.readAllBytes(f));
                        }
                    }
                } else {
                    out.add(Files.readAllBytes(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading UVM image part " + p, e);
            }
        }
        cdsArchive.ifPresent(a -> {
            try {
                out.add(Files.readAllBytes(a));
            } catch (IOException e) {
                throw new UncheckedIOException("reading UVM image part " + a, e);
            }
        });
        return out;
    }

    /** SHA-256 over the contents, a cheap identity for caching a measurement. */
    public String fingerprint() {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            for (byte[] b : contents()) {
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
