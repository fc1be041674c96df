package dev.parma.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.arm.ArmError;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.net.URI;
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
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Verifies OIDC bearer tokens: RS256 only (alg {@code none} and HMAC are refused), the key by {@code kid} from
 * the issuer's JWKS (an https/http URL, refreshed at most every 30 s on an unknown kid, or a {@code file:}),
 * {@code iss} exact, {@code aud} when configured, {@code exp}/{@code nbf} with 60 s of clock skew.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SKEW = 60;

    @ConfigProperty(name = "parma.auth.issuer")
    Optional<String> issuer;

    @ConfigProperty(name = "parma.auth.jwks-url")
    Optional<String> jwksUrl;

    @ConfigProperty(name = "parma.auth.audience")
    Optional<String> audience;

    @ConfigProperty(name = "parma.auth.dev-issuer-dir")
    Optional<String> devIssuerDir;

    private final Map<String, Keys> issuers = new ConcurrentHashMap<>();
    /** Monotonic nanoseconds (the JWKS refresh throttle) and epoch seconds (exp, nbf): moved by tests. */
    LongSupplier nanoClock = System::nanoTime;
    LongSupplier epochSeconds = () -> Instant.now().getEpochSecond();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @PostConstruct
    void init() {
        if (issuer.isPresent() && jwksUrl.isPresent()) {
            issuers.put(issuer.get(), new Keys(jwksUrl.get()));
        }
        if (devIssuerDir.isPresent() && !devIssuerDir.get().isBlank()) {
            var profiles = io.quarkus.runtime.configuration.ConfigUtils.getProfiles();
            if (profiles.stream().noneMatch(p -> p.equals("local") || p.equals("dev") || p.equals("test"))) {
                throw new IllegalStateException("parma.auth.dev-issuer-dir is set but the active profiles " + profiles
                        + " include none of local, dev, test: the development issuer is never trusted in production");
            }
            try {
                var dev = DevIssuer.open(Path.of(devIssuerDir.get()));
                Keys keys = new Keys(null);
                keys.byKid.put(DevIssuer.KID, dev.publicKey());
                issuers.put(DevIssuer.ISSUER, keys);
                LOG.warnf("development token issuer %s is trusted (keys in %s): mint tokens with './parma token'",
                        DevIssuer.ISSUER, devIssuerDir.get());
            } catch (Exception e) {
                throw new IllegalStateException("cannot open the development issuer in " + devIssuerDir.get(), e);
            }
        }
        if (issuers.isEmpty()) {
            LOG.warn("no token issuer is configured (parma.auth.issuer + parma.auth.jwks-url): every request is 401");
        }
    }

    public Caller verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid("The access token is not a JWS compact serialization.");
        }
        JsonNode header = decode(parts[0]);
        JsonNode claims = decode(parts[1]);
        if (!"RS256".equals(header.path("alg").asText())) {
            throw invalid("The access token's algorithm '" + header.path("alg").asText() + "' is not accepted.");
        }
        String iss = claims.path("iss").asText("");
        Keys keys = issuers.get(iss);
        if (keys == null) {
            throw invalid("The access token is from an issuer that is not trusted.");
        }
        PublicKey key = keys.find(header.path("kid").asText(""));
        if (key == null) {
            throw invalid("The access token's signing key is unknown.");
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw invalid("The access token's signature is invalid.");
            }
        } catch (ArmError e) {
            throw e;
        } catch (Exception e) {
            throw invalid("The access token's signature is invalid.");
        }
        long now = epochSeconds.getAsLong();
        if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() + SKEW < now) {
            throw new ArmError(401, CloudError.of("ExpiredAuthenticationToken",
                    "The access token expiry UTC time is earlier than current UTC time."));
        }
        if (claims.has("nbf") && claims.path("nbf").asLong() - SKEW > now) {
            throw invalid("The access token is not yet valid.");
        }
        if (audience.isPresent() && !audienceMatches(claims.path("aud"), audience.get())) {
            throw invalid("The access token has an invalid audience.");
        }
        String tid = claims.path("tid").asText("");
        if (tid.isBlank()) {
            throw invalid("The access token has no tenant (tid) claim.");
        }
        var roles = EnumSet.noneOf(Role.class);
        JsonNode r = claims.path("roles");
        if (r.isArray()) {
            r.forEach(n -> Role.fromClaim(n.asText()).ifPresent(roles::add));
        } else if (r.isTextual()) {
            Role.fromClaim(r.asText()).ifPresent(roles::add);
        }
        String oid = claims.path("oid").asText(claims.path("sub").asText(""));
        return new Caller(tid, oid, roles);
    }

    private static boolean audienceMatches(JsonNode aud, String expected) {
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (expected.equals(a.asText())) {
                    return true;
                }
            }
            return false;
        }
        return expected.equals(aud.asText());
    }

    private static JsonNode decode(String part) {
        try {
            JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(part));
            if (n == null || !n.isObject()) {
                throw invalid("The access token is malformed.");
            }
            return n;
        } catch (ArmError e) {
            throw e;
        } catch (Exception e) {
            throw invalid("The access token is malformed.");
        }
    }

    static ArmError invalid(String message) {
        return new ArmError(401, CloudError.of("InvalidAuthenticationToken", message));
    }

    /** One issuer's keys; fetched from its JWKS URL when a kid is unknown (at most every 30 s). */
    private final class Keys {
        final String url;
        final Map<String, PublicKey> byKid = new ConcurrentHashMap<>();
        volatile long lastFetch;

        Keys(String url) {
            this.url = url;
        }

        PublicKey find(String kid) {
            PublicKey k = byKid.get(kid);
            if (k == null && url != null && nanoClock.getAsLong() - lastFetch > Duration.ofSeconds(30).toNanos()
                    || k == null && url != null && lastFetch == 0) {
                refresh();
                k = byKid.get(kid);
            }
            if (k == null && kid.isEmpty() && byKid.size() == 1) {
                k = byKid.values().iterator().next();
            }
            return k;
        }

        synchronized void refresh() {
            lastFetch = nanoClock.getAsLong();
            try {
                String body;
                if (url.startsWith("file:")) {
                    body = Files.readString(Path.of(URI.create(url)));
                } else {
                    var resp = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    body = resp.body();
                }
                Map<String, PublicKey> fresh = new HashMap<>();
                for (JsonNode k : JSON.readTree(body).path("keys")) {
                    if (!"RSA".equals(k.path("kty").asText())) {
                        continue;
                    }
                    var spec = new RSAPublicKeySpec(
                            new BigInteger(1, Base64.getUrlDecoder().decode(k.path("n").asText())),
                            new BigInteger(1, Base64.getUrlDecoder().decode(k.path("e").asText())));
                    fresh.put(k.path("kid").asText(""), KeyFactory.getInstance("RSA").generatePublic(spec));
                }
                byKid.putAll(fresh);
            } catch (Exception e) {
                LOG.warnf("cannot fetch the JWKS at %s: %s", url, e.getMessage());
            }
        }
    }
}
