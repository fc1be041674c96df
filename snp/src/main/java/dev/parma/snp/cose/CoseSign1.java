package dev.parma.snp.cose;

import dev.parma.snp.cose.CborValue.Array;
import dev.parma.snp.cose.CborValue.Bytes;
import dev.parma.snp.cose.CborValue.Entry;
import dev.parma.snp.cose.CborValue.Int;
import dev.parma.snp.cose.CborValue.MapValue;
import dev.parma.snp.cose.CborValue.Tag;
import dev.parma.snp.cose.CborValue.Text;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A COSE_Sign1 message (RFC 9052 §4.2): {@code [protected: bstr .cbor header_map, unprotected: header_map,
 * payload: bstr, signature: bstr]}, tagged 18 or untagged. The signature covers the Sig_structure
 * {@code ["Signature1", protected, external_aad (empty), payload]}, so only the protected header is authenticated:
 * the algorithm and the x5chain (RFC 9360) are read from there alone. Detached payloads are not supported.
 */
public final class CoseSign1 {
    public static final long TAG = 18;
    public static final long ALG = 1;
    public static final long CONTENT_TYPE = 3;
    public static final long X5CHAIN = 33;

    private final byte[] protectedBytes;
    private final MapValue protectedHeader;
    private final MapValue unprotectedHeader;
    private final byte[] payload;
    private final byte[] signature;

    private CoseSign1(byte[] protectedBytes, MapValue protectedHeader, MapValue unprotectedHeader, byte[] payload,
            byte[] signature) {
        this.protectedBytes = protectedBytes;
        this.protectedHeader = protectedHeader;
        this.unprotectedHeader = unprotectedHeader;
        this.payload = payload;
        this.signature = signature;
    }

    public static CoseSign1 parse(byte[] bytes) throws CoseException {
        CborValue item = Cbor.decode(bytes);
        if (item instanceof Tag t) {
            if (t.tag() != TAG) {
                throw new CoseException("COSE: tag " + t.tag() + " is not COSE_Sign1 (18)");
            }
            item = t.content();
        }
        if (!(item instanceof Array a) || a.items().size() != 4) {
            throw new CoseException("COSE: a COSE_Sign1 is an array of 4 items");
        }
        List<CborValue> parts = a.items();
        if (!(parts.get(0) instanceof Bytes p)) {
            throw new CoseException("COSE: the protected header must be a byte string");
        }
        byte[] protectedBytes = p.value();
        MapValue protectedHeader;
        if (protectedBytes.length == 0) {
            protectedHeader = new MapValue(List.of());
        } else if (Cbor.decode(protectedBytes) instanceof MapValue m) {
            protectedHeader = m;
        } else {
            throw new CoseException("COSE: the protected header must encode a map");
        }
        if (!(parts.get(1) instanceof MapValue unprotected)) {
            throw new CoseException("COSE: the unprotected header must be a map");
        }
        if (parts.get(2) == CborValue.Simple.NULL) {
            throw new CoseException("COSE: detached payloads are not supported");
        }
        if (!(parts.get(2) instanceof Bytes payload)) {
            throw new CoseException("COSE: the payload must be a byte string");
        }
        if (!(parts.get(3) instanceof Bytes signature)) {
            throw new CoseException("COSE: the signature must be a byte string");
        }
        return new CoseSign1(protectedBytes, protectedHeader, unprotected, payload.value(), signature.value());
    }

    /** Signs {@code payload} with {@code alg}; the protected header holds alg, {@code headers} and the x5chain. */
    public static byte[] sign(CoseAlgorithm alg, List<Entry> headers, List<X509Certificate> chain, byte[] payload,
            PrivateKey key) throws GeneralSecurityException {
        List<Entry> h = new ArrayList<>();
        h.add(new Entry(new Int(ALG), new Int(alg.id())));
        h.addAll(headers);
        List<CborValue> certs = new ArrayList<>();
        for (X509Certificate c : chain) {
            certs.add(new Bytes(c.getEncoded()));
        }
        // RFC 9360: one certificate is a bare bstr, more are an array, leaf first
        h.add(new Entry(new Int(X5CHAIN), certs.size() == 1 ? certs.get(0) : new Array(certs)));
        byte[] protectedBytes = Cbor.encode(new MapValue(h));
        byte[] sig = alg.sign(key, sigStructure(protectedBytes, payload));
        return Cbor.encode(new Tag(TAG, new Array(List.of(new Bytes(protectedBytes), new MapValue(List.of()),
                new Bytes(payload), new Bytes(sig)))));
    }

    /** The protected header's algorithm. */
    public CoseAlgorithm algorithm() throws CoseException {
        CborValue v = protectedHeader.get(ALG).orElseThrow(() -> new CoseException(
                CoseException.Reason.UNSUPPORTED_ALGORITHM, "COSE: the protected header has no algorithm (label 1)"));
        if (!(v instanceof Int id)) {
            throw new CoseException("COSE: algorithm " + v + " is not an integer");
        }
        return CoseAlgorithm.of(id.value()).orElseThrow(() -> new CoseException(
                CoseException.Reason.UNSUPPORTED_ALGORITHM, "COSE: algorithm " + id.value()
                        + " is not supported (ES256/384/512, PS256/384/512)"));
    }

    /** The protected x5chain, leaf first; empty if there is none. */
    public List<X509Certificate> x5chain() throws CoseException {
        Optional<CborValue> v = protectedHeader.get(X5CHAIN);
        if (v.isEmpty()) {
            return List.of();
        }
        List<CborValue> items = v.get() instanceof Array a ? a.items() : List.of(v.get());
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (CborValue item : items) {
                if (!(item instanceof Bytes der)) {
                    throw new CoseException("COSE: x5chain holds " + item + ", not a DER certificate");
                }
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der.value())));
            }
        } catch (CertificateException e) {
            throw new CoseException("COSE: an x5chain certificate does not parse: " + e.getMessage(), e);
        }
        return out;
    }

    /** Whether the signature verifies with {@code key} under the protected algorithm. */
    public boolean verify(PublicKey key) throws CoseException {
        CoseAlgorithm alg = algorithm();
        try {
            return alg.verify(key, sigStructure(protectedBytes, payload), signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public MapValue protectedHeader() {
        return protectedHeader;
    }

    public MapValue unprotectedHeader() {
        return unprotectedHeader;
    }

    public byte[] payload() {
        return payload.clone();
    }

    static byte[] sigStructure(byte[] protectedBytes, byte[] payload) {
        return Cbor.encode(new Array(List.of(new Text("Signature1"), new Bytes(protectedBytes), new Bytes(
                new byte[0]), new Bytes(payload))));
    }
}
