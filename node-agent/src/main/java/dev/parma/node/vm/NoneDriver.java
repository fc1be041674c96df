package dev.parma.node.vm;

import java.io.IOException;
import java.nio.file.Path;

/** The standard SKU: no UVM, no policy; confidential groups are refused. */
public final class NoneDriver implements VmDriver {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public boolean confidential() {
        return false;
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
        throw new IOException("this node has no SEV-SNP driver (driver none): confidential groups cannot run here");
    }

    @Override
    public Uvm reattach(String groupId, Path uvmDir, byte[] hostData, long pid) {
        return null;
    }
}
