package dev.parma.snp;

import dev.parma.snp.trust.Pem;
import dev.parma.snp.verify.CertificateChain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Real captured evidence under src/test/resources/anchors (provenance in anchors/PROVENANCE.md). */
public final class Anchors {
    /** A time at which every non-AWS anchor chain is valid. */
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    /** Before the AWS VLEK's notAfter (2025-12-10). */
    public static final Instant AWS_TIME = Instant.parse("2025-06-01T00:00:00Z");

    private Anchors() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Anchors.class.getResourceAsStream("/anchors/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource anchors/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    public static CertificateChain pemChain(String path) {
        return CertificateChain.fromPem(text(path));
    }

    public static CertificateChain derLeaf(String path) {
        return CertificateChain.ofLeaf(Pem.der(bytes(path)));
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    public static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
