package dev.parma.snp.sim;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.kds.KdsOids;
import dev.parma.snp.kds.KdsUrls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues certificates in AMD's X.509 shape (see snp-attestation.md 2.1/2.2): ARK self-signed and ASK/ASVK signed by
 * it, RSA-4096 with RSASSA-PSS/SHA-384/MGF1-SHA-384/salt 48; VCEK/VLEK with serial 0, a P-384 key and the AMD
 * extensions, none critical.
 */
public final class AmdCertificates {
    /** PSS with SHA-384 and MGF1-SHA-384; BouncyCastle uses the hash length (48) as salt, like AMD. */
    static final String PSS_SHA384 = "SHA384withRSAandMGF1";
    private static final Provider BC = new BouncyCastleProvider();

    private AmdCertificates() {
    }

    public static X509Certificate ark(Product product, KeyPair ark, Instant notBefore, Instant notAfter,
            BigInteger serial) {
        X500Name name = AmdNames.of("ARK-" + product.kdsName());
        try {
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, serial, notBefore, notAfter, name, SubjectPublicKeyInfo
                    .getInstance(ark.getPublic().getEncoded()));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(ark.getPublic()));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.cRLDistributionPoints, false, crlDp(product, SigningKey.VCEK));
            return sign(b, ark.getPrivate());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build ARK", e);
        }
    }

    /** ASK (signs VCEKs, CN=SEV-&lt;Product&gt;) or ASVK (signs VLEKs, CN=SEV-VLEK-&lt;Product&gt;). */
    public static X509Certificate intermediate(Product product, SigningKey kind, PublicKey key, X509Certificate ark,
            PrivateKey arkKey, Instant notBefore, Instant notAfter, BigInteger serial) {
        String cn = kind == SigningKey.VLEK ? "SEV-VLEK-" + product.kdsName() : "SEV-" + product.kdsName();
        try {
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(X500Name.getInstance(ark.getSubjectX500Principal().getEncoded()),
                    serial, notBefore, notAfter, AmdNames.of(cn), SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(ark));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
            b.addExtension(Extension.cRLDistributionPoints, false, crlDp(product, kind));
            return sign(b, arkKey);
        } catch (IOException | NoSuchAlgorithmException
                | CertificateEncodingException e) {
            throw new IllegalStateException("cannot build " + cn, e);
        }
    }

    /** A VCEK or VLEK per {@code spec}, signed by the intermediate. */
    public static X509Certificate leaf(LeafSpec spec, X509Certificate issuer, PrivateKey issuerKey) {
        String cn = spec.keyType() == SigningKey.VLEK ? "SEV-VLEK" : "SEV-VCEK";
        try {
            X509v3CertificateBuilder b = builder(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                    spec.serial(), spec.notBefore(), spec.notAfter(), AmdNames.of(cn), SubjectPublicKeyInfo.getInstance(
                            spec.subjectKey().getEncoded()));
            ext(b, KdsOids.STRUCT_VERSION, new ASN1Integer(spec.structVersion()));
            ext(b, KdsOids.PRODUCT_NAME, new DERIA5String(spec.productName()));
            ext(b, KdsOids.BL_SPL, new ASN1Integer(spec.spl().bootLoader()));
            ext(b, KdsOids.TEE_SPL, new ASN1Integer(spec.spl().tee()));
            ext(b, KdsOids.SNP_SPL, new ASN1Integer(spec.spl().snp()));
            if (spec.product() != Product.TURIN) {
                ext(b, KdsOids.SPL_4, new ASN1Integer(0)); // the Turin VCEK omits spl_4
            }
            ext(b, KdsOids.SPL_5, new ASN1Integer(0));
            ext(b, KdsOids.SPL_6, new ASN1Integer(0));
            ext(b, KdsOids.SPL_7, new ASN1Integer(0));
            ext(b, KdsOids.UCODE_SPL, new ASN1Integer(spec.spl().microcode()));
            if (spec.product() == Product.TURIN) {
                ext(b, KdsOids.FMC_SPL, new ASN1Integer(spec.spl().fmc()));
            }
            if (spec.hwId() != null) {
                // AMD stores hwID as raw bytes inside extnValue, without an ASN.1 tag.
                b.addExtension(new Extension(new ASN1ObjectIdentifier(KdsOids.HW_ID), false, spec.hwId()));
            }
            if (spec.cspId() != null) {
                ext(b, KdsOids.CSP_ID, new DERIA5String(spec.cspId()));
            }
            return sign(b, issuerKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, BigInteger serial, Instant nb, Instant na,
            X500Name subject, SubjectPublicKeyInfo spki) {
        return new X509v3CertificateBuilder(issuer, serial, Date.from(nb), Date.from(na), subject, spki);
    }

    private static void ext(X509v3CertificateBuilder b, String oid, ASN1Encodable value) throws IOException {
        b.addExtension(new ASN1ObjectIdentifier(oid), false, value);
    }

    private static CRLDistPoint crlDp(Product product, SigningKey kind) {
        String url = KdsUrls.crl(product, kind);
        return new CRLDistPoint(new DistributionPoint[]{new DistributionPoint(new DistributionPointName(
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url))), null, null)});
    }

    static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(PSS_SHA384).setProvider(BC).build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    static Provider bc() {
        return BC;
    }
}
