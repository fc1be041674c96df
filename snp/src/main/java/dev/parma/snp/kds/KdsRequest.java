package dev.parma.snp.kds;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.abi.TcbParts;
import java.util.Arrays;
import java.util.HexFormat;

/** Something AMD's Key Distribution Service serves. {@link #url()} and {@link KdsUrls#parse} are inverses. */
public sealed interface KdsRequest {

    String url();

    /** The VCEK for a chip at a TCB. {@code hwId} is 64 bytes, or 8 on Turin. */
    record Vcek(Product product, byte[] hwId, TcbParts spl) implements KdsRequest {
        public Vcek {
            if (product == null || spl == null) {
                throw new KdsException("VCEK request needs a product and SPLs");
            }
            if (hwId == null || hwId.length != product.hwIdSize()) {
                throw new KdsException("VCEK request for " + product + " needs a " + product.hwIdSize()
                        + "-byte hwID, got " + (hwId == null ? "none" : hwId.length + " bytes"));
            }
            hwId = hwId.clone();
        }

        /** From a report's CHIP_ID (truncated to the product's hwID length) and REPORTED_TCB parts. */
        public static Vcek forChip(Product product, byte[] chipId, TcbParts spl) {
            return new Vcek(product, Arrays.copyOf(chipId, product.hwIdSize()), spl);
        }

        @Override
        public byte[] hwId() {
            return hwId.clone();
        }

        @Override
        public String url() {
            return KdsUrls.vcek(product, hwId, spl);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Vcek v && product == v.product && Arrays.equals(hwId, v.hwId) && spl.equals(v.spl);
        }

        @Override
        public int hashCode() {
            return url().hashCode();
        }

        @Override
        public String toString() {
            return "Vcek[" + product + ", " + HexFormat.of().formatHex(hwId) + ", " + spl + "]";
        }
    }

    /** The ASK (or ASVK) then ARK PEM for a product. */
    record CertChain(Product product, SigningKey keyType) implements KdsRequest {
        @Override
        public String url() {
            return KdsUrls.certChain(product, keyType);
        }
    }

    /** The ARK-signed CRL for a product's VCEK or VLEK hierarchy. */
    record Crl(Product product, SigningKey keyType) implements KdsRequest {
        @Override
        public String url() {
            return KdsUrls.crl(product, keyType);
        }
    }
}
