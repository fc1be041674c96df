package dev.parma.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformTrustTest {

    final PlatformCa ca = PlatformCa.create("platform");
    final PlatformTrust trust = new PlatformTrust(ca.certificate());

    @Test
    void aCertificateFromThePlatformCaProvesItsPrincipal() {
        var tls = ca.issue(Principal.service(ServiceName.API_GATEWAY), Purpose.TLS, List.of("localhost"));
        assertThat(trust.verify(tls.chain(), Purpose.TLS)).isEqualTo(Principal.service(ServiceName.API_GATEWAY));
        // the leaf alone is enough: the anchor is known
        assertThat(trust.verify(List.of(tls.certificate()), Purpose.TLS)).isEqualTo(tls.principal());
    }

    @Test
    void anotherCaIsNotTheirs() {
        var other = PlatformCa.create("platform"); // same name, other key
        var forged = other.issue(Principal.node("node-1"), Purpose.SEALING, List.of());
        assertThatThrownBy(() -> trust.verify(forged.chain(), Purpose.SEALING))
                .isInstanceOf(UntrustedIdentityException.class).hasMessageContaining("not issued by the platform CA");
        // nor does putting our CA certificate at the end of its chain help
        assertThatThrownBy(() -> trust.verify(List.of(forged.certificate(), ca.certificate()), Purpose.SEALING))
                .isInstanceOf(UntrustedIdentityException.class);
    }

    @Test
    void aKeyIsUsedOnlyForItsPurpose() {
        var sealing = ca.issue(Principal.node("node-1"), Purpose.SEALING, List.of());
        var tls = ca.issue(Principal.node("node-1"), Purpose.TLS, List.of("127.0.0.1"));
        assertThat(trust.verify(sealing.chain(), Purpose.SEALING)).isEqualTo(Principal.node("node-1"));
        assertThatThrownBy(() -> trust.verify(sealing.chain(), Purpose.TLS)).hasMessageContaining("not for TLS");
        assertThatThrownBy(() -> trust.verify(tls.chain(), Purpose.SEALING)).hasMessageContaining("not for SEALING");
    }

    @Test
    void theCaCannotBeUsedAsALeafAndNobodyIsNoOne() {
        assertThatThrownBy(() -> trust.verify(List.of(), Purpose.TLS)).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> trust.verify(List.of(ca.certificate()), Purpose.TLS))
                .isInstanceOf(UntrustedIdentityException.class);
    }

    @Test
    void enrolmentWritesKeysForTheOwnerOnlyAndEnsureKeepsAValidIdentity(@TempDir Path root) throws Exception {
        var pki = Pki.at(root);
        var dir = pki.enroll(Principal.node("node-7"), List.of("127.0.0.1"));
        for (Path secret : List.of(dir.keyFile(), dir.keystoreFile(), dir.sealingKeyFile(),
                root.resolve("ca/ca-key.pem"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path()))).isEqualTo("rwx------");
        var t = new PlatformTrust(dir.ca());
        assertThat(t.verify(dir.tls().chain(), Purpose.TLS)).isEqualTo(Principal.node("node-7"));
        assertThat(t.verify(dir.sealing().orElseThrow().chain(), Purpose.SEALING)).isEqualTo(Principal.node("node-7"));

        String before = Files.readString(dir.certFile());
        assertThat(Files.readString(Pki.at(root).ensure(Principal.node("node-7"), List.of()).certFile()))
                .isEqualTo(before);
        // an identity from an earlier CA is replaced
        Files.delete(root.resolve("ca/ca-key.pem"));
        assertThat(Files.readString(Pki.at(root).ensure(Principal.node("node-7"), List.of("127.0.0.1")).certFile()))
                .isNotEqualTo(before);
    }
}
