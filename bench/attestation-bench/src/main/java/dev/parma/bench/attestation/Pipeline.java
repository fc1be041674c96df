package dev.parma.bench.attestation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parma.attestation.evidence.AttestRequestParser;
import dev.parma.attestation.evidence.EvidenceVerifier;
import dev.parma.attestation.oidc.SigningKeys.SigningKey;
import dev.parma.attestation.token.Jws;
import dev.parma.attestation.token.SevSnpClaims;
import dev.parma.snp.abi.Product;
import dev.parma.snp.kds.KdsClient;
import dev.parma.snp.sim.SimAuthority;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's token path without HTTP, in this JVM: MAA request parsing, evidence verification (snp), the claim
 * set and the RS256 JWS, with the service's own classes. Policy evaluation and the compliance lookup are map lookups
 * and are left out.
 */
final class Pipeline {
    private final AttestRequestParser parser;
    private final EvidenceVerifier verifier;
    private final ObjectMapper json = new ObjectMapper();
    private final SigningKey key;
    private final List<byte[]> bodies;
    private final AtomicInteger next = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    Pipeline(SimAuthority authority, List<String> bodies) throws Exception {
        this.parser = new AttestRequestParser(json, 1024);
        this.verifier = new EvidenceVerifier(List.of(authority.roots()), KdsClient.offline(), Product.MILAN);
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        this.key = new SigningKey("bench", g.generateKeyPair(), null, Instant.now(), Optional.empty());
        this.bodies = bodies.stream().map(b -> b.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** One token, as the service builds it. */
    String token() {
        var request = parser.parse(bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())));
        var evidence = verifier.verify(request, Instant.now());
        Map<String, Object> claims = SevSnpClaims.of(evidence, json);
        long now = Instant.now().getEpochSecond();
        claims.put("iss", "http://bench");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 28800);
        byte[] jti = new byte[32];
        random.nextBytes(jti);
        claims.put("jti", HexFormat.of().formatHex(jti));
        var header = new LinkedHashMap<String, Object>();
        header.put("alg", "RS256");
        header.put("kid", key.kid());
        header.put("typ", "JWT");
        return Jws.rs256(json, header, claims, key);
    }
}
