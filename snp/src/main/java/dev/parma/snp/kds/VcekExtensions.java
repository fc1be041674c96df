package dev.parma.snp.kds;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The AMD extensions of a VCEK or VLEK certificate. {@code hwId} is present on VCEKs (64 bytes; 8 on Turin) and
 * absent on VLEKs; {@code cspId} is present on VLEKs only.
 *
 * @param keyType VCEK or VLEK, from the subject CN ("SEV-VCEK" / "SEV-VLEK")
 * @param structVersion OID .1, 0 on Milan/Genoa certificates, 1 on Turin
 * @param productName OID .2, e.g. "Milan-B0", "Genoa", "Turin"; VLEKs carry the product line only
 * @param spl the SPL extensions (.3.1 bl, .3.2 tee, .3.3 snp, .3.8 ucode, .3.9 fmc on Turin)
 */
public record VcekExtensions(SigningKey keyType, int structVersion, String productName, TcbParts spl, byte[] hwId,
        String cspId) {

    private static final HexFormat HEX = HexFormat.of();

    public VcekExtensions {
        hwId = hwId == null ? null : hwId.clone();
    }

    public Optional<byte[]> hwIdBytes() {
        return Optional.ofNullable(hwId).map(byte[]::clone);
    }

    @Override
    public byte[] hwId() {
        return hwId == null ? null : hwId.clone();
    }

    public Optional<String> csp() {
        return Optional.ofNullable(cspId);
    }

    public Product product() {
        return Product.fromProductName(productName);
    }

    /** Reads the extensions; throws {@link KdsException} naming the missing or malformed extension. */
    public static VcekExtensions parse(X509Certificate cert) {
        SigningKey keyType = keyType(cert.getSubjectX500Principal());
        int structVersion = cert.getExtensionValue(KdsOids.STRUCT_VERSION) == null
                ? 0
                : integer(cert, KdsOids.STRUCT_VERSION, "structVersion");
        String productName = ia5(cert, KdsOids.PRODUCT_NAME, "productName");
        int fmc = cert.getExtensionValue(KdsOids.FMC_SPL) == null ? 0 : integer(cert, KdsOids.FMC_SPL, "fmcSPL");
        TcbParts spl = new TcbParts(fmc, integer(cert, KdsOids.BL_SPL, "blSPL"),
                integer(cert, KdsOids.TEE_SPL, "teeSPL"), integer(cert, KdsOids.SNP_SPL, "snpSPL"),
                integer(cert, KdsOids.UCODE_SPL, "ucodeSPL"));
        byte[] hwId = cert.getExtensionValue(KdsOids.HW_ID) == null
                ? null
                : hwId(extnValue(cert, KdsOids.HW_ID,
                        "hwID"));
        String cspId = cert.getExtensionValue(KdsOids.CSP_ID) == null ? null : ia5(cert, KdsOids.CSP_ID, "csp_id");
        if (keyType == SigningKey.VCEK && hwId == null) {
            throw new KdsException("VCEK certificate has no hwID extension (" + KdsOids.HW_ID + ")");
        }
        return new VcekExtensions(keyType, structVersion, productName, spl, hwId, cspId);
    }

    static SigningKey keyType(X500Principal subject) {
        X500Name name = X500Name.getInstance(subject.getEncoded());
        RDN[] cns = name.getRDNs(BCStyle.CN);
        String cn = cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
        return switch (cn) {
            case "SEV-VCEK" -> SigningKey.VCEK;
            case "SEV-VLEK" -> SigningKey.VLEK;
            default -> throw new KdsException("leaf certificate CN is '" + cn + "', want SEV-VCEK or SEV-VLEK");
        };
    }

    /**
     * hwID is stored as raw bytes without an ASN.1 tag; some producers wrap it in an OCTET STRING, which is accepted
     * too (as trustee and go-sev-guest do).
     */
    static byte[] hwId(byte[] v) {
        if (v.length >= 2 && v[0] == 0x04 && (v[1] & 0xFF) == v.length - 2 && (v.length - 2 == 64
                || v.length - 2 == 8)) {
            return Arrays.copyOfRange(v, 2, v.length);
        }
        if (v.length != 64 && v.length != 8) {
            throw new KdsException("hwID extension is " + v.length + " bytes, want 64 (or 8 on Turin)");
        }
        return v;
    }

    private static byte[] extnValue(X509Certificate cert, String oid, String name) {
        byte[] wrapped = cert.getExtensionValue(oid);
        if (wrapped == null) {
            throw new KdsException("certificate has no " + name + " extension (" + oid + ")");
        }
        try {
            return ASN1OctetString.getInstance(wrapped).getOctets();
        } catch (IllegalArgumentException e) {
            throw new KdsException(name + " extension (" + oid + ") is not a DER OCTET STRING", e);
        }
    }

    private static int integer(X509Certificate cert, String oid, String name) {
        try {
            ASN1Integer i = ASN1Integer.getInstance(primitive(cert, oid, name));
            int v = i == null ? -1 : i.intValueExact();
            if (i == null || v < 0 || v > 255) {
                throw new KdsException(name + " extension " + (i == null
                        ? "is empty"
                        : "value " + v
                                + " out of range 0..255"));
            }
            return v;
        } catch (IOException | IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw new KdsException(name + " extension (" + oid + ") is not a DER INTEGER", e);
        }
    }

    private static String ia5(X509Certificate cert, String oid, String name) {
        try {
            ASN1IA5String s = ASN1IA5String.getInstance(primitive(cert, oid, name));
            if (s == null) {
                throw new KdsException(name + " extension is empty");
            }
            return s.getString();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new KdsException(name + " extension (" + oid + ") is not a DER IA5String", e);
        }
    }

    /** The extension's value as one ASN.1 object; null when the value is empty (BouncyCastle reads no object). */
    private static ASN1Primitive primitive(X509Certificate cert, String oid, String name) throws IOException {
        return ASN1Primitive.fromByteArray(extnValue(cert, oid, name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VcekExtensions e && keyType == e.keyType && structVersion == e.structVersion
                && productName.equals(e.productName) && spl.equals(e.spl) && Arrays.equals(hwId, e.hwId)
                && Objects.equals(cspId, e.cspId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyType, structVersion, productName, spl, Arrays.hashCode(hwId), cspId);
    }

    @Override
    public String toString() {
        return "VcekExtensions[" + keyType + ", product=" + productName + ", spl=" + spl + ", hwId="
                + (hwId == null ? "-" : HEX.formatHex(hwId)) + (cspId == null ? "" : ", csp=" + cspId) + "]";
    }
}
