package dev.parma.snp.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.cose.CborValue.Array;
import dev.parma.snp.cose.CborValue.Bool;
import dev.parma.snp.cose.CborValue.Bytes;
import dev.parma.snp.cose.CborValue.Entry;
import dev.parma.snp.cose.CborValue.Int;
import dev.parma.snp.cose.CborValue.MapValue;
import dev.parma.snp.cose.CborValue.Simple;
import dev.parma.snp.cose.CborValue.Tag;
import dev.parma.snp.cose.CborValue.Text;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 8949 Appendix A's examples both ways, and the strict decoder refusing what it does not support. */
class CborTest {
    static final HexFormat HEX = HexFormat.of();

    static void both(CborValue value, String hex) throws CoseException {
        assertThat(HEX.formatHex(Cbor.encode(value))).as("encode %s", value).isEqualTo(hex);
        assertThat(Cbor.decode(HEX.parseHex(hex))).as("decode %s", hex).isEqualTo(value);
    }

    @Test
    void appendixAIntegersStringsArraysMapsTags() throws CoseException {
        both(new Int(0), "00");
        both(new Int(23), "17");
        both(new Int(24), "1818");
        both(new Int(100), "1864");
        both(new Int(1000), "1903e8");
        both(new Int(1000000), "1a000f4240");
        both(new Int(1000000000000L), "1b000000e8d4a51000");
        both(new Int(Long.MAX_VALUE), "1b7fffffffffffffff");
        both(new Int(-1), "20");
        both(new Int(-10), "29");
        both(new Int(-100), "3863");
        both(new Int(-1000), "3903e7");
        both(new Int(Long.MIN_VALUE), "3b7fffffffffffffff");
        both(new Bytes(new byte[0]), "40");
        both(new Bytes(HEX.parseHex("01020304")), "4401020304");
        both(new Text(""), "60");
        both(new Text("a"), "6161");
        both(new Text("IETF"), "6449455446");
        both(new Text("\u00fc"), "62c3bc");
        both(new Text("\u6c34"), "63e6b0b4");
        both(new Array(List.of()), "80");
        both(new Array(List.of(new Int(1), new Int(2), new Int(3))), "83010203");
        both(new Array(List.of(new Int(1), new Array(List.of(new Int(2), new Int(3))), new Array(List.of(new Int(4),
                new Int(5))))), "8301820203820405");
        both(new MapValue(List.of()), "a0");
        both(new MapValue(List.of(new Entry(new Int(1), new Int(2)), new Entry(new Int(3), new Int(4)))),
                "a201020304");
        both(new Tag(1, new Int(1363896240)), "c11a514b67b0");
        both(new Bool(false), "f4");
        both(new Bool(true), "f5");
        both(Simple.NULL, "f6");
        both(Simple.UNDEFINED, "f7");
    }

    @Test
    void floatsOfEveryWidthDecode() throws CoseException {
        assertThat(Cbor.decode(HEX.parseHex("f93e00"))).isEqualTo(new CborValue.Float(1.5));
        assertThat(Cbor.decode(HEX.parseHex("f9c400"))).isEqualTo(new CborValue.Float(-4.0));
        assertThat(Cbor.decode(HEX.parseHex("f90001"))).isEqualTo(new CborValue.Float(5.960464477539063e-8));
        assertThat(Cbor.decode(HEX.parseHex("fa47c35000"))).isEqualTo(new CborValue.Float(100000.0));
        assertThat(Cbor.decode(HEX.parseHex("fb3ff199999999999a"))).isEqualTo(new CborValue.Float(1.1));
    }

    @Test
    void refusesWhatItDoesNotSupportOrWhatIsBroken() {
        refused("5f42010243030405ff", "indefinite lengths are not supported");
        refused("1bffffffffffffffff", "outside the supported range");
        refused("3bffffffffffffffff", "outside the supported range");
        refused("1903", "truncated");
        refused("4401", "exceeds");
        refused("0000", "bytes after the data item");
        refused("a201020103", "duplicate map key");
        refused("62c328", "not valid UTF-8");
        refused("9bffffffffffffffff", "cannot fit");
        refused("1c", "reserved additional information");
        refused("ff", "break outside");
        refused("f0", "unsupported simple value");
        refused("", "truncated");
        refused("81".repeat(40) + "00", "nesting deeper than");
    }

    @Test
    void randomBytesNeverThrowAnythingButCoseException() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(24)];
            r.nextBytes(b);
            try {
                Cbor.decode(b);
            } catch (CoseException expected) {
                // refused with a message: fine
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", input " + HEX.formatHex(b), e);
            }
        }
    }

    static void refused(String hex, String message) {
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex(hex))).as(hex).isInstanceOf(CoseException.class)
                .hasMessageContaining(message);
    }
}
