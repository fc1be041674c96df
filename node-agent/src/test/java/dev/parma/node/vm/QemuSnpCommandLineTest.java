package dev.parma.node.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The qemu-snp driver's command line, argument by argument (QEMU 9.1+ sev-snp-guest, memfd guest memory). */
class QemuSnpCommandLineTest {

    static final byte[] HOST_DATA = HexFormat.of()
            .parseHex("c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc");

    QemuSnpCommandLine line() {
        return new QemuSnpCommandLine("/usr/bin/qemu-system-x86_64", "/usr/share/ovmf/OVMF.amdsev.fd",
                "/var/lib/parma/uvm/vmlinuz", "/var/lib/parma/uvm/initrd.img", "console=ttyS0 panic=-1", 2, 2048, 51,
                1, 0x30000, HOST_DATA, 42);
    }

    @Test
    void everyArgumentInOrder() {
        assertThat(line().args()).containsExactly(
                "/usr/bin/qemu-system-x86_64",
                "-enable-kvm", "-nodefaults", "-nographic", "-no-reboot",
                "-cpu", "EPYC-v4",
                "-machine", "q35,confidential-guest-support=sev0,memory-backend=ram1",
                "-smp", "2",
                "-m", "2048M",
                "-object", "memory-backend-memfd,id=ram1,size=2048M,share=true,prealloc=false",
                "-object", "sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,policy=0x30000,kernel-hashes=on,"
                        + "host-data=wP/uABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8w=",
                "-bios", "/usr/share/ovmf/OVMF.amdsev.fd",
                "-kernel", "/var/lib/parma/uvm/vmlinuz",
                "-initrd", "/var/lib/parma/uvm/initrd.img",
                "-append", "console=ttyS0 panic=-1",
                "-device", "vhost-vsock-pci,guest-cid=42",
                "-serial", "stdio");
    }

    @Test
    void hostDataIsTheBase64OfExactly32Bytes() {
        String obj = line().args().stream().filter(a -> a.startsWith("sev-snp-guest")).findFirst().orElseThrow();
        String b64 = obj.substring(obj.indexOf("host-data=") + 10);
        assertThat(Base64.getDecoder().decode(b64)).isEqualTo(HOST_DATA);
        assertThatThrownBy(() -> new QemuSnpCommandLine("q", "o", "k", "i", "c", 1, 512, 51, 1, 0x30000, new byte[31],
                3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOST_DATA");
    }

    @Test
    void launchesOnlyWhereDevSevExists() {
        var driver = new QemuSnpDriver(null, java.nio.file.Path.of("/nonexistent/sev"));
        assertThat(driver.confidential()).isFalse();
        assertThatThrownBy(() -> driver.launch("g", java.nio.file.Path.of("/tmp/x"), HOST_DATA, 1, 512))
                .hasMessageContaining("does not exist");
        assertThat(List.of(driver.name())).containsExactly("qemu-snp");
    }
}
