package dev.parma.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    static final MasterKey KEY = MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]), "test");

    @Test
    void sealedValuesOpenOnlyUnderTheirKeyAndContext() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = KEY.seal(secret, "group-1");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
        assertThat(KEY.open(sealed, "group-1")).isEqualTo(secret);
        // moved to another row, or opened under another key: refused
        assertThatThrownBy(() -> KEY.open(sealed, "group-2")).isInstanceOf(RuntimeException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new MasterKey(other).open(sealed, "group-1")).isInstanceOf(RuntimeException.class);
        // two seals of one value differ (fresh IV)
        assertThat(KEY.seal(secret, "group-1")).isNotEqualTo(sealed);
    }

    @Test
    void badKeysAreNamed() {
        assertThatThrownBy(() -> MasterKey.fromBase64("not base64!", "parma.x.master-key"))
                .hasMessageContaining("parma.x.master-key");
        assertThatThrownBy(() -> new MasterKey(new byte[16])).hasMessageContaining("32 bytes");
    }
}
