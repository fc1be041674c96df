package dev.parma.snp.cose;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A CBOR data item (RFC 8949) as far as COSE needs it: integers within a Java {@code long}, byte and text strings,
 * arrays, maps (in their encoded order), tags, booleans, null, undefined and floats. {@link Cbor} reads and writes
 * them.
 */
public sealed interface CborValue {

    /** Major types 0 and 1. */
    record Int(long value) implements CborValue {
    }

    /** Major type 2. */
    record Bytes(byte[] value) implements CborValue {
        public Bytes {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "h'" + HexFormat.of().formatHex(value, 0, Math.min(value.length, 16)) + (value.length > 16
                    ? "…(" + value.length + " bytes)"
                    : "") + "'";
        }
    }

    /** Major type 3. */
    record Text(String value) implements CborValue {
    }

    /** Major type 4. */
    record Array(List<CborValue> items) implements CborValue {
        public Array {
            items = List.copyOf(items);
        }
    }

    /** Major type 5; keys are unique (the decoder refuses duplicates). */
    record MapValue(List<Entry> entries) implements CborValue {
        public MapValue {
            entries = List.copyOf(entries);
        }

        /** The value under {@code key}, if present. */
        public Optional<CborValue> get(CborValue key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return Optional.of(e.value());
                }
            }
            return Optional.empty();
        }

        public Optional<CborValue> get(long label) {
            return get(new Int(label));
        }

        public Optional<CborValue> get(String label) {
            return get(new Text(label));
        }
    }

    /** One key/value pair of a map. */
    record Entry(CborValue key, CborValue value) {
    }

    /** Major type 6. */
    record Tag(long tag, CborValue content) implements CborValue {
    }

    /** Major type 7: false and true. */
    record Bool(boolean value) implements CborValue {
    }

    /** Major type 7: half, single and double precision floats, all read as a double. */
    record Float(double value) implements CborValue {
    }

    /** Major type 7: null and undefined. */
    enum Simple implements CborValue {
        NULL, UNDEFINED
    }
}
