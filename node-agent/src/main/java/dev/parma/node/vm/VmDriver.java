package dev.parma.node.vm;

import java.io.IOException;
import java.nio.file.Path;

/** Starts utility VMs for confidential groups. Standard groups never get one (the {@code none} driver). */
public interface VmDriver {

    /** sim, qemu-snp or none. */
    String name();

    /** Whether confidential groups can run here (the heartbeat's snp). */
    boolean confidential();

    /** Whether the secure processor is the software one. */
    boolean simulated();

    /** Reported TCB (hex), or null. */
    String tcb();

    /** The launch digest (hex) every UVM of this node starts with, or null. */
    String uvmMeasurement();

    /**
     * Launches a UVM for a group: measure, LAUNCH_FINISH with HOST_DATA, start. The returned handle's agent
     * socket accepts the guest protocol once the guest is up.
     */
    Uvm launch(String groupId, Path uvmDir, byte[] hostData, int vcpus, long memoryMb) throws IOException;

    /** Reattaches to a UVM that outlived a previous agent (same image and HOST_DATA), or null if it is gone. */
    Uvm reattach(String groupId, Path uvmDir, byte[] hostData, long pid) throws IOException;

    /** A running UVM. */
    interface Uvm {
        long pid();

        Path agentSocket();

        /** Milliseconds spent measuring and in LAUNCH_*; milliseconds until the guest process started. */
        long measureMillis();

        long launchMillis();

        boolean alive();

        /** Lets go of the UVM (agent shutdown) without stopping it. */
        void detach();

        /** Stops the UVM. */
        void destroy();
    }
}
