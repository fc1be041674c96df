package dev.parma.node.vm;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The QEMU command line of an SEV-SNP UVM (QEMU ≥ 9.1 / AMD's snp branch): guest memory from memfd (SNP needs
 * private memory backed by guest_memfd), the {@code sev-snp-guest} object with C-bit position, reduced physical
 * bits, guest policy and HOST_DATA (base64 of 32 bytes), measured direct boot of OVMF + kernel + initrd + cmdline
 * ({@code kernel-hashes=on}), and a vsock for the guest agent.
 */
public record QemuSnpCommandLine(String binary, String ovmf, String kernel, String initrd, String cmdline, int vcpus,
        long memoryMb, int cbitpos, int reducedPhysBits, long policy, byte[] hostData, long vsockCid) {

    public QemuSnpCommandLine {
        if (hostData == null || hostData.length != 32) {
            throw new IllegalArgumentException("HOST_DATA must be 32 bytes");
        }
        if (vcpus < 1 || memoryMb < 64) {
            throw new IllegalArgumentException("need at least 1 vCPU and 64 MB");
        }
    }

    public List<String> args() {
        List<String> a = new ArrayList<>();
        a.add(binary);
        a.addAll(List.of("-enable-kvm", "-nodefaults", "-nographic", "-no-reboot"));
        a.addAll(List.of("-cpu", "EPYC-v4"));
        a.addAll(List.of("-machine", "q35,confidential-guest-support=sev0,memory-backend=ram1"));
        a.addAll(List.of("-smp", Integer.toString(vcpus)));
        a.addAll(List.of("-m", memoryMb + "M"));
        a.addAll(List.of("-object", "memory-backend-memfd,id=ram1,size=" + memoryMb + "M,share=true,prealloc=false"));
        a.addAll(List.of("-object", "sev-snp-guest,id=sev0,cbitpos=" + cbitpos + ",reduced-phys-bits=" + reducedPhysBits
                + ",policy=0x" + Long.toHexString(policy) + ",kernel-hashes=on,host-data="
                + Base64.getEncoder().encodeToString(hostData)));
        a.addAll(List.of("-bios", ovmf));
        a.addAll(List.of("-kernel", kernel));
        a.addAll(List.of("-initrd", initrd));
        a.addAll(List.of("-append", cmdline));
        a.addAll(List.of("-device", "vhost-vsock-pci,guest-cid=" + vsockCid));
        a.addAll(List.of("-serial", "stdio"));
        return a;
    }
}
