package dev.parma.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealedBoxTest {

    final PlatformCa ca = PlatformCa.create("platform");
    final Credentials node1 = ca.issue(Principal.node("node-1"), Purpose.SEALING, List.of());
    final Credentials node2 = ca.issue(Principal.node("node-2"), Purpose.SEALING, List.of());
    final Map<String, String> bound = Map.of("grp", "g-1", "gen", "3");

    @Test
    void onlyTheRecipientOpensIt() {
        String box = SealedBox.seal("s3cr3t".getBytes(UTF_8), node1.certificate(), bound);
        assertThat(box).doesNotContain("s3cr3t");
        assertThat(new String(SealedBox.open(box, node1.key(), bound), UTF_8)).isEqualTo("s3cr3t");
        assertThatThrownBy(() -> SealedBox.open(box, node2.key(), bound))
                .isInstanceOf(UntrustedIdentityException.class);
    }

    @Test
    void aBoxCannotBeMovedToAnotherCommand() {
        String box = SealedBox.seal("s3cr3t".getBytes(UTF_8), node1.certificate(), bound);
        assertThatThrownBy(() -> SealedBox.open(box, node1.key(), Map.of("grp", "g-2", "gen", "3")))
                .hasMessageContaining("bound to another grp");
        // rewriting the header to claim the other binding breaks the cipher's associated data
        String[] parts = box.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), UTF_8).replace("g-1", "g-2");
        parts[0] = Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(UTF_8));
        String moved = String.join(".", parts);
        assertThatThrownBy(() -> SealedBox.open(moved, node1.key(), Map.of("grp", "g-2", "gen", "3")))
                .isInstanceOf(UntrustedIdentityException.class);
    }

    @Test
    void tamperedOrGarbageBoxesAreRefused() {
        String box = SealedBox.seal("s3cr3t".getBytes(UTF_8), node1.certificate(), bound);
        char[] chars = box.toCharArray();
        int last = box.lastIndexOf('.') - 3; // inside the ciphertext
        chars[last] = chars[last] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> SealedBox.open(new String(chars), node1.key(), bound))
                .isInstanceOf(UntrustedIdentityException.class);
        assertThatThrownBy(() -> SealedBox.open("not a jwe", node1.key(), bound))
                .isInstanceOf(UntrustedIdentityException.class);
    }
}
