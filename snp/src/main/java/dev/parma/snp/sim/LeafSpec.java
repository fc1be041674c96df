package dev.parma.snp.sim;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import java.math.BigInteger;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything that goes into a VCEK or VLEK certificate. {@link #vcek} gives AMD's shape; the {@code with*} methods
 * are the overrides negative tests need.
 *
 * @param hwId null for a VLEK (which has no hwID); 64 bytes, or 8 on Turin, for a VCEK
 * @param cspId null for a VCEK
 */
public record LeafSpec(SigningKey keyType, Product product, String productName, int structVersion, TcbParts spl,
        byte[] hwId, String cspId, PublicKey subjectKey, Instant notBefore, Instant notAfter, BigInteger serial) {

    /** VCEKs are valid seven years (go-sev-guest fake_certs vcekExpirationYears, matching real VCEKs). */
    public static final Duration VCEK_VALIDITY = Duration.ofDays(7 * 365 + 2);

    public LeafSpec {
        hwId = hwId == null ? null : hwId.clone();
    }

    @Override
    public byte[] hwId() {
        return hwId == null ? null : hwId.clone();
    }

    public static LeafSpec vcek(Product product, TcbParts spl, byte[] hwId, PublicKey key, Instant notBefore) {
        String name = switch (product) {
            case MILAN -> "Milan-B0";
            case GENOA -> "Genoa";
            case TURIN -> "Turin";
        };
        return new LeafSpec(SigningKey.VCEK, product, name, product == Product.TURIN ? 1 : 0, spl, hwId, null, key,
                notBefore, notBefore.plus(VCEK_VALIDITY), BigInteger.ZERO);
    }

    public static LeafSpec vlek(Product product, TcbParts spl, String cspId, PublicKey key, Instant notBefore) {
        return new LeafSpec(SigningKey.VLEK, product, product.kdsName(), 0, spl, null, cspId, key, notBefore,
                notBefore.plus(Duration.ofDays(365)), BigInteger.ZERO);
    }

    public LeafSpec withSpl(TcbParts v) {
        return new LeafSpec(keyType, product, productName, structVersion, v, hwId, cspId, subjectKey, notBefore,
                notAfter, serial);
    }

    public LeafSpec withHwId(byte[] v) {
        return new LeafSpec(keyType, product, productName, structVersion, spl, v, cspId, subjectKey, notBefore,
                notAfter, serial);
    }

    public LeafSpec withProductName(String v) {
        return new LeafSpec(keyType, product, v, structVersion, spl, hwId, cspId, subjectKey, notBefore, notAfter,
                serial);
    }

    public LeafSpec withValidity(Instant from, Instant to) {
        return new LeafSpec(keyType, product, productName, structVersion, spl, hwId, cspId, subjectKey, from, to,
                serial);
    }

    public LeafSpec withSubjectKey(PublicKey v) {
        return new LeafSpec(keyType, product, productName, structVersion, spl, hwId, cspId, v, notBefore, notAfter,
                serial);
    }

    public LeafSpec withKeyType(SigningKey v) {
        return new LeafSpec(v, product, productName, structVersion, spl, hwId, cspId, subjectKey, notBefore,
                notAfter, serial);
    }
}
