package dev.parma.attestation.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64sTest {

    @Test
    void acceptsAllFourFormsOfRandomInput() {
        Random r = new Random(7);
        for (int n = 0; n < 200; n++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            for (Base64.Encoder e : new Base64.Encoder[]{Base64.getEncoder(), Base64.getEncoder().withoutPadding(),
                    Base64.getUrlEncoder(), Base64.getUrlEncoder().withoutPadding()}) {
                assertThat(Base64s.decode(e.encodeToString(b))).get().isEqualTo(b);
            }
        }
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : new String[]{"a", "ab+_", "a b", "ab===", "é", "ab=c"}) {
            assertThat(Base64s.decode(bad)).as(bad).isEmpty();
        }
        assertThat(Base64s.decode(null)).isEmpty();
    }
}
