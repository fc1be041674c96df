package dev.parma.snp.sim;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.trust.Pem;
import dev.parma.snp.trust.ProductRoots;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The simulator's own AMD root of trust for one product: an RSA-4096 ARK (self-signed) with an ASK and, optionally,
 * an ASVK, exactly in AMD's X.509 shape. Verifiers trust it by adding {@link #roots()} to their
 * {@link dev.parma.snp.trust.RootStore}; AMD's real roots never vouch for it.
 *
 * <p>
 * Generating two or three RSA-4096 keys takes a second or more; create one authority per process (or test class) and
 * share it across simulated chips.
 */
public final class SimAuthority {
    /** AMD's ARK/ASK validity is 25 years. */
    public static final Duration ROOT_VALIDITY = Duration.ofDays(25 * 365 + 6);

    private final Product product;
    private final KeyPair arkKey;
    private final KeyPair askKey;
    private final KeyPair asvkKey;
    private final ProductRoots roots;

    private SimAuthority(Product product, KeyPair arkKey, KeyPair askKey, KeyPair asvkKey, ProductRoots roots) {
        this.product = product;
        this.arkKey = arkKey;
        this.askKey = askKey;
        this.asvkKey = asvkKey;
        this.roots = roots;
    }

    /** A fresh authority valid from {@code notBefore} for 25 years; {@code withVlek} adds an ASVK. */
    public static SimAuthority generate(Product product, Instant notBefore, boolean withVlek, SecureRandom random) {
        KeyPair ark = rsa4096(random);
        KeyPair ask = rsa4096(random);
        KeyPair asvk = withVlek ? rsa4096(random) : null;
        Instant notAfter = notBefore.plus(ROOT_VALIDITY);
        BigInteger base = BigInteger.valueOf((product.ordinal() + 1L) << 16);
        X509Certificate arkCert = AmdCertificates.ark(product, ark, notBefore, notAfter, base);
        X509Certificate askCert = AmdCertificates.intermediate(product, SigningKey.VCEK, ask.getPublic(), arkCert, ark
                .getPrivate(), notBefore, notAfter, base.add(BigInteger.ONE));
        X509Certificate asvkCert = asvk == null
                ? null
                : AmdCertificates.intermediate(product, SigningKey.VLEK, asvk
                        .getPublic(), arkCert, ark.getPrivate(), notBefore, notAfter, base.add(BigInteger.TWO));
        return new SimAuthority(product, ark, ask, asvk, new ProductRoots(product, arkCert, askCert, asvkCert));
    }

    /** A VCEK-only authority valid from one day before now. */
    public static SimAuthority generate(Product product) {
        return generate(product, Instant.now().minus(Duration.ofDays(1)), false, new SecureRandom());
    }

    /**
     * Restores an authority from its certificates and private keys, e.g. after {@link #toPem()}. Node agents and the
     * attestation service must share the same simulated roots across processes and restarts.
     */
    public static SimAuthority restore(ProductRoots roots, PrivateKey arkKey, PrivateKey askKey,
            PrivateKey asvkKey) {
        if ((roots.asvk() == null) != (asvkKey == null)) {
            throw new IllegalArgumentException("ASVK certificate and ASVK key must be given together");
        }
        return new SimAuthority(roots.product(), new KeyPair(roots.ark().getPublicKey(), arkKey), new KeyPair(roots
                .ask().getPublicKey(), askKey), asvkKey == null
                        ? null
                        : new KeyPair(roots.asvk().getPublicKey(),
                                asvkKey),
                roots);
    }

    /**
     * PEM text holding the ARK, ASK and (if present) ASVK certificates, each followed by its PKCS#8 private key. Secret
     * material: store it like any CA key.
     */
    public String toPem() {
        StringBuilder sb = new StringBuilder();
        sb.append(Pem.encode(List.of(roots.ark()))).append(Pem.encodePrivateKey(arkKey.getPrivate()));
        sb.append(Pem.encode(List.of(roots.ask()))).append(Pem.encodePrivateKey(askKey.getPrivate()));
        if (asvkKey != null) {
            sb.append(Pem.encode(List.of(roots.asvk()))).append(Pem.encodePrivateKey(asvkKey.getPrivate()));
        }
        return sb.toString();
    }

    /** The inverse of {@link #toPem()}; the product is read from the ARK's CN. */
    public static SimAuthority fromPem(String pem) {
        List<X509Certificate> certs = Pem.certificates(pem);
        List<PrivateKey> keys = Pem.privateKeys(pem, "RSA");
        if (certs.size() != keys.size() || certs.size() < 2 || certs.size() > 3) {
            throw new IllegalArgumentException("SimAuthority PEM must hold ARK, ASK [, ASVK] each with its key; got "
                    + certs.size() + " certificates and " + keys.size() + " keys");
        }
        String cn = certs.get(0).getSubjectX500Principal().getName();
        Product product = Product.fromKdsName(cn.substring(cn.indexOf("CN=ARK-") + 7).split(",")[0]);
        ProductRoots roots = new ProductRoots(product, certs.get(0), certs.get(1), certs.size() == 3
                ? certs.get(2)
                : null);
        return restore(roots, keys.get(0), keys.get(1), keys.size() == 3 ? keys.get(2) : null);
    }

    public Product product() {
        return product;
    }

    /** The pinned roots a verifier must add to accept this simulator's reports. */
    public ProductRoots roots() {
        return roots;
    }

    public X509Certificate ark() {
        return roots.ark();
    }

    public X509Certificate ask() {
        return roots.ask();
    }

    /** Issues a VCEK or VLEK in AMD's shape (or with the spec's overrides). */
    public X509Certificate issue(LeafSpec spec) {
        if (spec.keyType() == SigningKey.VLEK) {
            if (asvkKey == null) {
                throw new IllegalStateException("this SimAuthority has no ASVK; generate it withVlek");
            }
            return AmdCertificates.leaf(spec, roots.asvk(), asvkKey.getPrivate());
        }
        return AmdCertificates.leaf(spec, roots.ask(), askKey.getPrivate());
    }

    /** The ARK key pair, for tests that need to sign a CRL or a rogue intermediate. */
    public KeyPair arkKeyPair() {
        return arkKey;
    }

    private static KeyPair rsa4096(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-4096 key generation failed", e);
        }
    }
}
