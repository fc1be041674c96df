package dev.parma.snp.trust;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** X.509 certificates from PEM or DER, the forms KDS, THIM and MAA use. */
public final class Pem {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private Pem() {
    }

    /** All certificates in a PEM text, in order. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
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
            out.add(der(Base64.getDecoder().decode(body)));
            from = e + END.length();
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate found");
        }
        return List.copyOf(out);
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

    /** PEM text for certificates, in order. */
    public static String encode(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certs) {
            try {
                sb.append(BEGIN).append('\n').append(enc.encodeToString(c.getEncoded())).append('\n').append(END)
                        .append('\n');
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate cannot be encoded", e);
            }
        }
        return sb.toString();
    }
}
