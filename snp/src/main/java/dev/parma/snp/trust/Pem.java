package dev.parma.snp.trust;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** X.509 certificates (PEM or DER, the forms KDS, THIM and MAA use) and PKCS#8 private keys in PEM. */
public final class Pem {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";
    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";

    private Pem() {
    }

    /** All certificates in a PEM text, in order. */
    public static List<X509Certificate> certificates(String pem) {
        return blocks(pem).stream().map(Pem::der).toList();
    }

    /** Whether the text has a PEM certificate block (as opposed to DER bytes). */
    public static boolean isPem(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII).contains(BEGIN);
    }

    /**
     * The DER bodies of the certificate blocks in a PEM text, in order; throws IllegalArgumentException naming the
     * block (0-based) whose END line is missing or whose body is not base64, or if there is none.
     */
    public static List<byte[]> blocks(String pem) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int b = pem.indexOf(BEGIN, from);
            if (b < 0) {
                break;
            }
            int e = pem.indexOf(END, b);
            if (e < 0) {
                throw new IllegalArgumentException("PEM certificate " + out.size() + " has no END line");
            }
            String body = pem.substring(b + BEGIN.length(), e).replaceAll("\\s", "");
            try {
                out.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException("PEM certificate " + out.size() + " is not base64: "
                        + notBase64.getMessage(), notBase64);
            }
            from = e + END.length();
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate found");
        }
        return out;
    }

    public static List<X509Certificate> certificates(byte[] pem) {
        return certificates(new String(pem, StandardCharsets.US_ASCII));
    }

    /** A DER certificate. */
    public static X509Certificate der(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 "PRIVATE KEY" blocks of the given algorithm, in order. */
    public static List<PrivateKey> privateKeys(String pem, String algorithm) {
        List<PrivateKey> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int b = pem.indexOf(BEGIN_KEY, from);
            if (b < 0) {
                return List.copyOf(out);
            }
            int e = pem.indexOf(END_KEY, b);
            if (e < 0) {
                throw new IllegalArgumentException("PEM private key " + out.size() + " has no END line");
            }
            byte[] der = Base64.getDecoder().decode(pem.substring(b + BEGIN_KEY.length(), e).replaceAll("\\s", ""));
            try {
                out.add(KeyFactory.getInstance(algorithm).generatePrivate(
                        new PKCS8EncodedKeySpec(der)));
            } catch (GeneralSecurityException ex) {
                throw new IllegalArgumentException("PEM private key " + out.size() + " is not a PKCS#8 " + algorithm
                        + " key", ex);
            }
            from = e + END_KEY.length();
        }
    }

    /** A PKCS#8 "PRIVATE KEY" block. */
    public static String encodePrivateKey(PrivateKey key) {
        Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return BEGIN_KEY + "\n" + enc.encodeToString(key.getEncoded()) + "\n" + END_KEY + "\n";
    }

    /** PEM text for certificates, in order. */
    public static String encode(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certs) {
            try {
                sb.append(BEGIN).append('\n').append(enc.encodeToString(c.getEncoded())).append('\n').append(END)
                        .append('\n');
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate cannot be encoded", e);
            }
        }
        return sb.toString();
    }
}
