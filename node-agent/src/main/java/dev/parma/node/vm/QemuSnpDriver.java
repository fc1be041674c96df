package dev.parma.node.vm;

import dev.parma.guest.OwnerOnly;
import dev.parma.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real SEV-SNP through QEMU. It builds the exact command line ({@link QemuSnpCommandLine}) and launches only
 * where /dev/sev exists. The guest-agent transport inside a real UVM (vsock) is not built yet, so a launched UVM
 * has no agent socket on this host: see node-agent/README.md.
 */
public final class QemuSnpDriver implements VmDriver {

    private final NodeConfig.Qemu qemu;
    private final Path sevDevice;

    public QemuSnpDriver(NodeConfig.Qemu qemu, Path sevDevice) {
        this.qemu = qemu;
        this.sevDevice = sevDevice;
    }

    public QemuSnpCommandLine commandLine(byte[] hostData, int vcpus, long memoryMb, long cid) {
        String p = qemu.policy().toLowerCase();
        long policy = p.startsWith("0x") ? Long.parseLong(p.substring(2), 16) : Long.parseLong(p);
        return new QemuSnpCommandLine(qemu.binary(), qemu.ovmf(), qemu.kernel(), qemu.initrd(), qemu.cmdline(), vcpus,
                memoryMb, qemu.cbitpos(), qemu.reducedPhysBits(), policy, hostData, cid);
    }

    @Override
    public String name() {
        return "qemu-snp";
    }

    @Override
    public boolean confidential() {
        return Files.exists(sevDevice);
    }

    @Override
    public boolean simulated() {
        return false;
    }

    @Override
    public String tcb() {
        return null;
    }

    @Override
    public String uvmMeasurement() {
        return null;
    }

    @Override
    public Uvm launch(String groupId, Path uvmDir, byte[] hostData, int vcpus, long memoryMb) throws IOException {
        if (!Files.exists(sevDevice)) {
            throw new IOException("qemu-snp: " + sevDevice + " does not exist: this host has no SEV-SNP");
        }
        long cid = 3 + Math.floorMod(groupId.hashCode(), 1 << 20);
        OwnerOnly.directory(uvmDir);
        var cl = commandLine(hostData, vcpus, memoryMb, cid);
        OwnerOnly.write(uvmDir.resolve("qemu.args"), String.join("\n", cl.args()) + "\n");
        throw new IOException("qemu-snp: command line written to " + uvmDir.resolve("qemu.args")
                + "; the vsock guest-agent transport is not implemented, so this build does not boot it");
    }

    @Override
    public Uvm reattach(String groupId, Path uvmDir, byte[] hostData, long pid) {
        return null;
    }
}
