package dev.parma.snp.cose;

import dev.parma.snp.cose.CborValue.Array;
import dev.parma.snp.cose.CborValue.Bool;
import dev.parma.snp.cose.CborValue.Bytes;
import dev.parma.snp.cose.CborValue.Entry;
import dev.parma.snp.cose.CborValue.Int;
import dev.parma.snp.cose.CborValue.MapValue;
import dev.parma.snp.cose.CborValue.Simple;
import dev.parma.snp.cose.CborValue.Tag;
import dev.parma.snp.cose.CborValue.Text;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small CBOR codec (RFC 8949) for COSE. Encoding uses the preferred (shortest) form of every head, so what we sign
 * is deterministic. Decoding is strict: one complete item, definite lengths only (COSE producers use them; an
 * indefinite length is refused, not guessed), valid UTF-8, no duplicate map keys, integers within a {@code long},
 * at most {@value #MAX_DEPTH} levels of nesting, and no length larger than the bytes that remain.
 */
public final class Cbor {
    static final int MAX_DEPTH = 16;

    private Cbor() {
    }

    // ---- encoding ----

    public static byte[] encode(CborValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, CborValue value) {
        if (value instanceof Int i) {
            head(out, i.value() >= 0 ? 0 : 1, i.value() >= 0 ? i.value() : -1 - i.value());
        } else if (value instanceof Bytes b) {
            byte[] v = b.value();
            head(out, 2, v.length);
            out.writeBytes(v);
        } else if (value instanceof Text t) {
            byte[] v = t.value().getBytes(StandardCharsets.UTF_8);
            head(out, 3, v.length);
            out.writeBytes(v);
        } else if (value instanceof Array a) {
            head(out, 4, a.items().size());
            a.items().forEach(item -> write(out, item));
        } else if (value instanceof MapValue m) {
            head(out, 5, m.entries().size());
            for (Entry e : m.entries()) {
                write(out, e.key());
                write(out, e.value());
            }
        } else if (value instanceof Tag t) {
            head(out, 6, t.tag());
            write(out, t.content());
        } else if (value instanceof Bool b) {
            out.write(b.value() ? 0xf5 : 0xf4);
        } else if (value instanceof CborValue.Float f) {
            out.write(0xfb);
            out.writeBytes(ByteBuffer.allocate(8).putDouble(f.value()).array());
        } else {
            out.write(value == Simple.NULL ? 0xf6 : 0xf7);
        }
    }

    /** A head in its shortest form; {@code n} is unsigned. */
    private static void head(ByteArrayOutputStream out, int major, long n) {
        int mt = major << 5;
        if (n >= 0 && n < 24) {
            out.write(mt | (int) n);
        } else if (n >= 0 && n <= 0xff) {
            out.write(mt | 24);
            out.write((int) n);
        } else if (n >= 0 && n <= 0xffff) {
            out.write(mt | 25);
            out.write((int) (n >>> 8));
            out.write((int) n);
        } else if (n >= 0 && n <= 0xffff_ffffL) {
            out.write(mt | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (n >>> shift));
            }
        } else {
            out.write(mt | 27);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (n >>> shift));
            }
        }
    }

    // ---- decoding ----

    /** Exactly one data item; trailing bytes are an error. */
    public static CborValue decode(byte[] bytes) throws CoseException {
        Reader r = new Reader(bytes);
        CborValue v = r.item(0);
        if (r.pos != bytes.length) {
            throw new CoseException("CBOR: " + (bytes.length - r.pos) + " bytes after the data item at offset "
                    + r.pos);
        }
        return v;
    }

    private static final class Reader {
        final byte[] in;
        int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        CborValue item(int depth) throws CoseException {
            if (depth > MAX_DEPTH) {
                throw fail("nesting deeper than " + MAX_DEPTH);
            }
            int start = pos;
            int ib = u8();
            int major = ib >>> 5;
            int ai = ib & 0x1f;
            if (major == 7) {
                return simple(ai, start);
            }
            long n = argument(ai, start);
            return switch (major) {
                case 0 -> new Int(checkedLong(n, start));
                case 1 -> new Int(-1 - checkedLong(n, start));
                case 2 -> new Bytes(take(n, start));
                case 3 -> new Text(utf8(take(n, start), start));
                case 4 -> {
                    int count = count(n, 1, start);
                    List<CborValue> items = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        items.add(item(depth + 1));
                    }
                    yield new Array(items);
                }
                case 5 -> {
                    int count = count(n, 2, start);
                    List<Entry> entries = new ArrayList<>(count);
                    Set<CborValue> keys = new HashSet<>();
                    for (int i = 0; i < count; i++) {
                        int keyAt = pos;
                        CborValue key = item(depth + 1);
                        if (!keys.add(key)) {
                            throw new CoseException("CBOR: duplicate map key " + key + " at offset " + keyAt);
                        }
                        entries.add(new Entry(key, item(depth + 1)));
                    }
                    yield new MapValue(entries);
                }
                default -> new Tag(checkedLong(n, start), item(depth + 1)); // 6
            };
        }

        private CborValue simple(int ai, int start) throws CoseException {
            return switch (ai) {
                case 20 -> new Bool(false);
                case 21 -> new Bool(true);
                case 22 -> Simple.NULL;
                case 23 -> Simple.UNDEFINED;
                case 25 -> new CborValue.Float(half((int) uint(2)));
                case 26 -> new CborValue.Float(java.lang.Float.intBitsToFloat((int) uint(4)));
                case 27 -> new CborValue.Float(Double.longBitsToDouble(uint(8)));
                case 31 -> throw fail("break outside an indefinite-length item", start);
                default -> throw fail("unsupported simple value " + ai, start);
            };
        }

        private long argument(int ai, int start) throws CoseException {
            if (ai < 24) {
                return ai;
            }
            return switch (ai) {
                case 24 -> uint(1);
                case 25 -> uint(2);
                case 26 -> uint(4);
                case 27 -> uint(8);
                case 31 -> throw fail("indefinite lengths are not supported", start);
                default -> throw fail("reserved additional information " + ai, start);
            };
        }

        private long uint(int size) throws CoseException {
            if (in.length - pos < size) {
                throw fail("truncated: " + size + "-byte argument needs more input");
            }
            long v = 0;
            for (int i = 0; i < size; i++) {
                v = (v << 8) | (in[pos++] & 0xff);
            }
            return v;
        }

        private int u8() throws CoseException {
            if (pos >= in.length) {
                throw fail("truncated: a data item was expected");
            }
            return in[pos++] & 0xff;
        }

        private byte[] take(long n, int start) throws CoseException {
            if (n < 0 || n > in.length - pos) {
                throw fail("length " + Long.toUnsignedString(n) + " exceeds the " + (in.length - pos)
                        + " bytes left", start);
            }
            byte[] out = java.util.Arrays.copyOfRange(in, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }

        /** An element count, bounded by the bytes left (every item takes at least one byte). */
        private int count(long n, int bytesPerElement, int start) throws CoseException {
            if (n < 0 || n > (in.length - pos) / bytesPerElement) {
                throw fail(Long.toUnsignedString(n) + " elements cannot fit in the " + (in.length - pos)
                        + " bytes left", start);
            }
            return (int) n;
        }

        private long checkedLong(long n, int start) throws CoseException {
            if (n < 0) {
                throw fail("integer " + Long.toUnsignedString(n) + " is outside the supported range", start);
            }
            return n;
        }

        private String utf8(byte[] b, int start) throws CoseException {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw fail("text string is not valid UTF-8", start);
            }
        }

        private static double half(int bits) {
            int exp = (bits >>> 10) & 0x1f;
            int mant = bits & 0x3ff;
            double v = exp == 0
                    ? mant * Math.pow(2, -24)
                    : exp == 31
                            ? (mant == 0
                                    ? Double.POSITIVE_INFINITY
                                    : Double.NaN)
                            : (1 + mant / 1024.0) * Math.pow(2, exp - 15);
            return (bits & 0x8000) != 0 ? -v : v;
        }

        private CoseException fail(String what) {
            return fail(what, pos);
        }

        private static CoseException fail(String what, int at) {
            return new CoseException("CBOR: " + what + " (offset " + at + ")");
        }
    }
}
