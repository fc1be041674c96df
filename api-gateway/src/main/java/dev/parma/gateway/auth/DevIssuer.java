package dev.parma.gateway.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The development token issuer of the local run: an RSA key kept in a directory ({@code key.pk8},
 * {@code jwks.json}), and a command that mints tenant tokens with it. Plain JDK, so the run script can call it
 * without the service running:
 *
 * <pre>
 * java -cp api-gateway/target/quarkus-app/app/api-gateway-*.jar dev.parma.gateway.auth.DevIssuer \
 *     .run/dev-issuer --tenant t1 --role tenant-owner [--role ...] [--subject alice] [--minutes 60]
 * </pre>
 *
 * The gateway trusts it only when {@code parma.auth.dev-issuer-dir} is set, which only the {@code local} profile
 * (and tests) do; the prod configuration has no dev issuer.
 */
public final class DevIssuer {

    public static final String ISSUER = "https://parma.local/dev-issuer";
    public static final String KID = "parma-dev-1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;

    private DevIssuer(RSAPrivateCrtKey privateKey) throws GeneralSecurityException {
        this.privateKey = privateKey;
        this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
    }

    /** Loads the key in {@code dir}, creating it (owner-only) on first use. */
    public static synchronized DevIssuer open(Path dir) throws IOException, GeneralSecurityException {
        Path key = dir.resolve("key.pk8");
        if (!Files.exists(key)) {
            Files.createDirectories(dir);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair pair = gen.generateKeyPair();
            Path tmp = Files.createTempFile(dir, "key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort
            }
            Files.write(tmp, pair.getPrivate().getEncoded());
            try {
                Files.move(tmp, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                Files.deleteIfExists(tmp);
            }
        }
        var priv = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(key)));
        var issuer = new DevIssuer(priv);
        Files.writeString(dir.resolve("jwks.json"), issuer.jwks());
        return issuer;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** The public key as a JWKS document. */
    public String jwks() {
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"n\":\""
                + b64(publicKey.getModulus()) + "\",\"e\":\"" + b64(publicKey.getPublicExponent()) + "\"}]}";
    }

    /** An RS256 token for {@code tenant} with {@code roles}, valid for {@code seconds}. */
    public String mint(String tenant, String subject, List<String> roles, long seconds) {
        long now = Instant.now().getEpochSecond();
        StringBuilder r = new StringBuilder("[");
        for (int i = 0; i < roles.size(); i++) {
            r.append(i == 0 ? "" : ",").append('"').append(escape(roles.get(i))).append('"');
        }
        r.append(']');
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"https://management.parma.local/\",\"sub\":\""
                + escape(subject) + "\",\"oid\":\"" + escape(subject) + "\",\"tid\":\"" + escape(tenant)
                + "\",\"roles\":" + r + ",\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + seconds)
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code DevIssuer <dir> --tenant T [--role R]... [--subject S] [--minutes M]}: prints a token. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
            return;
        }
        Path dir = Path.of(args[0]);
        String tenant = null;
        String subject = null;
        long minutes = 60;
        List<String> roles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--tenant" -> tenant = v;
                case "--role" -> roles.add(v);
                case "--subject" -> subject = v;
                case "--minutes" -> minutes = Long.parseLong(v);
                default -> {
                    usage();
                    System.exit(2);
                }
            }
            i++;
        }
        if (tenant == null || tenant.isBlank()) {
            usage();
            System.exit(2);
        }
        if (roles.isEmpty()) {
            roles.add(Role.TENANT_OWNER.claim);
        }
        for (String role : roles) {
            if (Role.fromClaim(role).isEmpty()) {
                System.err
                        .println("unknown role '" + role + "': use tenant-owner, tenant-reader, billing-reader or sre");
                System.exit(2);
            }
        }
        System.out.println(open(dir).mint(tenant, subject == null ? tenant + "-user" : subject, roles, minutes * 60));
    }

    private static void usage() {
        System.err.println(
                "usage: DevIssuer <dir> --tenant <tenant> [--role tenant-owner|tenant-reader|billing-reader|sre]..."
                        + " [--subject <name>] [--minutes <n>]");
    }
}
