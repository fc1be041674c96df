package dev.parma.snp.kds;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * KDS URLs (AMD 57230; go-sev-guest kds.go VCEKCertURL/ProductCertChainURL/CrlLinkByKey):
 * <ul>
 * <li>{@code https://kdsintf.amd.com/vcek/v1/{product}/{hwid}?blSPL=..&teeSPL=..&snpSPL=..&ucodeSPL=..} (Turin
 * adds {@code fmcSPL} first and uses an 8-byte hwID);</li>
 * <li>{@code https://kdsintf.amd.com/{vcek|vlek}/v1/{product}/cert_chain};</li>
 * <li>{@code https://kdsintf.amd.com/{vcek|vlek}/v1/{product}/crl}.</li>
 * </ul>
 */
public final class KdsUrls {
    public static final String BASE = "https://kdsintf.amd.com";
    private static final HexFormat HEX = HexFormat.of();

    private KdsUrls() {
    }

    public static String vcek(Product product, byte[] hwId, TcbParts spl) {
        StringBuilder q = new StringBuilder();
        if (product == Product.TURIN) {
            q.append("fmcSPL=").append(spl.fmc()).append('&');
        }
        q.append("blSPL=").append(spl.bootLoader()).append("&teeSPL=").append(spl.tee()).append("&snpSPL=")
                .append(spl.snp()).append("&ucodeSPL=").append(spl.microcode());
        return BASE + "/vcek/v1/" + product.kdsName() + "/" + HEX.formatHex(hwId) + "?" + q;
    }

    public static String certChain(Product product, SigningKey keyType) {
        return BASE + "/" + kind(keyType) + "/v1/" + product.kdsName() + "/cert_chain";
    }

    public static String crl(Product product, SigningKey keyType) {
        return BASE + "/" + kind(keyType) + "/v1/" + product.kdsName() + "/crl";
    }

    /** Parses any of the three URL forms; throws {@link KdsException} naming what is wrong. */
    public static KdsRequest parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new KdsException("not a URL: " + url, e);
        }
        if (!"https".equals(uri.getScheme()) || !"kdsintf.amd.com".equals(uri.getHost())) {
            throw new KdsException("not a KDS URL (want https://kdsintf.amd.com/...): " + url);
        }
        String[] p = uri.getPath().split("/");
        // "", kind, "v1", product, leaf
        if (p.length != 5 || !"v1".equals(p[2])) {
            throw new KdsException("KDS path must be /{vcek|vlek}/v1/{product}/{resource}: " + uri.getPath());
        }
        SigningKey keyType = switch (p[1]) {
            case "vcek" -> SigningKey.VCEK;
            case "vlek" -> SigningKey.VLEK;
            default -> throw new KdsException("KDS key kind '" + p[1] + "', want vcek or vlek");
        };
        Product product;
        try {
            product = Product.fromKdsName(p[3]);
        } catch (IllegalArgumentException e) {
            throw new KdsException("KDS product '" + p[3] + "' is unknown", e);
        }
        switch (p[4]) {
            case "cert_chain" :
                return new KdsRequest.CertChain(product, keyType);
            case "crl" :
                return new KdsRequest.Crl(product, keyType);
            default :
                break;
        }
        if (keyType != SigningKey.VCEK) {
            throw new KdsException("only VCEK certificates are addressed by hwID, got " + uri.getPath());
        }
        byte[] hwId;
        try {
            hwId = HEX.parseHex(p[4].toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new KdsException("hwID '" + p[4] + "' is not hex", e);
        }
        Map<String, Integer> q = query(uri.getRawQuery());
        TcbParts spl = new TcbParts(product == Product.TURIN ? required(q, "fmcSPL") : 0, required(q, "blSPL"),
                required(q, "teeSPL"), required(q, "snpSPL"), required(q, "ucodeSPL"));
        return new KdsRequest.Vcek(product, hwId, spl);
    }

    private static Map<String, Integer> query(String raw) {
        Map<String, Integer> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String kv : raw.split("&")) {
            String[] parts = kv.split("=", 2);
            if (parts.length != 2) {
                throw new KdsException("query parameter '" + kv + "' has no value");
            }
            try {
                out.put(parts[0], Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new KdsException("query parameter " + parts[0] + "='" + parts[1] + "' is not a decimal SPL", e);
            }
        }
        return out;
    }

    private static int required(Map<String, Integer> q, String name) {
        Integer v = q.get(name);
        if (v == null) {
            throw new KdsException("VCEK URL lacks the " + name + " parameter");
        }
        return v;
    }

    private static String kind(SigningKey k) {
        return switch (k) {
            case VCEK -> "vcek";
            case VLEK -> "vlek";
            case NONE -> throw new KdsException("no KDS hierarchy for SIGNING_KEY none");
        };
    }
}
