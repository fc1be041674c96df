package dev.parma.snp.sim;

import dev.parma.snp.cose.CborValue.Entry;
import dev.parma.snp.cose.CborValue.Int;
import dev.parma.snp.cose.CborValue.Tag;
import dev.parma.snp.cose.CborValue.Text;
import dev.parma.snp.cose.CoseAlgorithm;
import dev.parma.snp.cose.CoseSign1;
import dev.parma.snp.trust.Pem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The publisher of the simulated UVM: it signs UVM endorsements in the shape Microsoft signs ACI's — a COSE_Sign1
 * whose payload is {@code {"x-ms-sevsnpvm-guestsvn": "<svn>", "x-ms-sevsnpvm-launchmeasurement": "<96 hex>"}}, with
 * x5chain, a {@code did:x509} issuer, a feed and the signing time in the protected header — with its own P-384 keys
 * (ES384) instead of Microsoft's: a root certificate (what relying parties trust) and a signing certificate carrying
 * the endorsement EKU. The root key is discarded after issuing the signing certificate.
 */
public final class UvmPublisher {
    /** A private-use OID (X.667 UUID arc) marking endorsement-signing certificates of simulated UVM publishers. */
    public static final String ENDORSEMENT_EKU = "2.25." + new BigInteger(1, uuidBytes(UUID.fromString(
            "6f2c3a52-7d0e-4f43-9d36-2f1a5c7b9e01")));
    public static final String FEED = "ParmaSim-UVM";
    static final Duration VALIDITY = Duration.ofDays(25 * 365 + 6);

    private final X509Certificate root;
    private final X509Certificate signer;
    private final PrivateKey signerKey;

    private UvmPublisher(X509Certificate root, X509Certificate signer, PrivateKey signerKey) {
        this.root = root;
        this.signer = signer;
        this.signerKey = signerKey;
    }

    public static UvmPublisher generate(Instant notBefore, SecureRandom random) {
        KeyPair rootKey = p384(random);
        KeyPair signerKey = p384(random);
        Instant notAfter = notBefore.plus(VALIDITY);
        X500Name rootName = new X500Name("CN=Parma Simulated UVM Publisher Root, O=Parma");
        X509Certificate root = issue(rootName, rootName, rootKey, rootKey.getPrivate(), notBefore, notAfter, true,
                random);
        X509Certificate signer = issue(rootName, new X500Name("CN=Parma Simulated UVM Publisher, O=Parma"), signerKey,
                rootKey.getPrivate(), notBefore, notAfter, false, random);
        return new UvmPublisher(root, signer, signerKey.getPrivate());
    }

    /** The signing certificate, the root certificate and the signing key (PKCS#8): secret material. */
    public String toPem() {
        return Pem.encode(List.of(signer, root)) + Pem.encodePrivateKey(signerKey);
    }

    public static UvmPublisher fromPem(String pem) {
        List<X509Certificate> certs = Pem.certificates(pem);
        List<PrivateKey> keys = Pem.privateKeys(pem, "EC");
        if (certs.size() != 2 || keys.size() != 1) {
            throw new IllegalArgumentException("UvmPublisher PEM must hold the signing and root certificates and the"
                    + " signing key; got " + certs.size() + " certificates and " + keys.size() + " keys");
        }
        return new UvmPublisher(certs.get(1), certs.get(0), keys.get(0));
    }

    /** What relying parties configure as the trusted endorsement signer. */
    public X509Certificate root() {
        return root;
    }

    /** {@code did:x509:0:sha256:<root fingerprint>::eku:<endorsement EKU>}. */
    public String issuer() {
        try {
            byte[] fp = MessageDigest.getInstance("SHA-256").digest(root.getEncoded());
            return "did:x509:0:sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(fp) + "::eku:"
                    + ENDORSEMENT_EKU;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A COSE_Sign1 UVM endorsement of {@code measurement} (48 bytes) with {@code svn}, signed at {@code at}. */
    public byte[] endorse(byte[] measurement, int svn, Instant at) {
        if (measurement.length != 48) {
            throw new IllegalArgumentException("a launch measurement is 48 bytes, got " + measurement.length);
        }
        String payload = "{\n  \"x-ms-sevsnpvm-guestsvn\": \"" + svn + "\",\n  \"x-ms-sevsnpvm-launchmeasurement\": \""
                + HexFormat.of().formatHex(measurement) + "\"\n}";
        List<Entry> headers = List.of(new Entry(new Int(CoseSign1.CONTENT_TYPE), new Text("application/json")),
                new Entry(new Text("iss"), new Text(issuer())), new Entry(new Text("feed"), new Text(FEED)),
                new Entry(new Text("signingtime"), new Tag(1, new Int(at.getEpochSecond()))));
        try {
            return CoseSign1.sign(CoseAlgorithm.ES384, headers, List.of(signer, root), payload.getBytes(
                    StandardCharsets.UTF_8), signerKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the UVM endorsement", e);
        }
    }

    private static X509Certificate issue(X500Name issuer, X500Name subject, KeyPair subjectKey, PrivateKey issuerKey,
            Instant notBefore, Instant notAfter, boolean ca, SecureRandom random) {
        try {
            var b = new X509v3CertificateBuilder(issuer, new BigInteger(64, random), Date.from(notBefore), Date.from(
                    notAfter), subject, SubjectPublicKeyInfo.getInstance(subjectKey.getPublic().getEncoded()));
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.getInstance(
                        new org.bouncycastle.asn1.ASN1ObjectIdentifier(ENDORSEMENT_EKU))));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                    "SHA384withECDSA").build(issuerKey)));
        } catch (java.io.IOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot issue the UVM publisher certificate", e);
        }
    }

    private static KeyPair p384(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] uuidBytes(UUID u) {
        return java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u
                .getLeastSignificantBits()).array();
    }

}
