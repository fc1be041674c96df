package dev.parma.node.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of one node agent. */
@ConfigMapping(prefix = "parma.node")
public interface NodeConfig {

    /** This node's id, a DNS label; its command topic is parma.node.&lt;id&gt;.commands. */
    String id();

    /**
     * VM driver for confidential groups: {@code sim} (software secure processor, the guest agent as a process),
     * {@code qemu-snp} (QEMU with sev-snp-guest, only where /dev/sev exists) or {@code none} (standard groups only).
     * Standard groups never get a UVM.
     */
    @WithDefault("sim")
    String driver();

    /** vCPUs this node offers to groups. */
    double cpu();

    /** Memory in GB this node offers to groups. */
    double memoryInGb();

    /** Where groups' working directories and logs live. */
    Path workDir();

    /** How often the node announces itself and its capacity. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * Commands (starts, deletes) carried out at once: different groups' in parallel, one group's in order, so a
     * slow delete never holds up the others.
     */
    @WithDefault("8")
    int commandParallelism();

    /** How long a container gets between SIGTERM and SIGKILL when its group is deleted. */
    @WithDefault("5s")
    Duration stopGrace();

    /**
     * Registry (host:port, plain HTTP) that serves images named without a registry host ({@code busybox:1.36} →
     * {@code <mirror>/library/busybox:1.36}). Without it such images cannot be pulled here (no internet).
     */
    Optional<String> registryMirror();

    /** Registries (host:port) spoken to over plain HTTP; loopback registries always are. */
    Optional<java.util.List<String>> insecureRegistries();

    /** This agent's base URL as the control plane reaches it (logs); default https://127.0.0.1:&lt;https port&gt;. */
    Optional<String> advertisedUrl();

    /**
     * The simulated AMD root (ARK/ASK and keys, {@code SimAuthority.toPem()}). Created on first start if missing;
     * share it between nodes, and give its public part to the attestation service as a trusted simulator root.
     */
    Optional<Path> simAuthorityFile();

    /** The simulated chip (id and secret); created on first start if missing. Default: work-dir/sim/chip. */
    Optional<Path> simChipFile();

    /** Extra JVM options of each simulated UVM (the guest agent process). */
    @WithDefault("-Xmx48m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xshare:auto")
    String guestJvmOptions();

    /**
     * Whether simulated UVMs map a class-data-sharing archive of the guest (made once per image version by a
     * training run, kept next to the sim authority, measured as part of the image): a faster guest start.
     */
    @WithDefault("true")
    boolean guestCds();

    /** QEMU settings of the qemu-snp driver. */
    Qemu qemu();

    /** Interactive exec sessions (ACI's Containers_ExecuteCommand). */
    Exec exec();

    interface Exec {
        /** A session is closed this long after it started, whatever it does. */
        @WithDefault("30m")
        Duration maxDuration();

        /** A session without a message either way for this long is closed. */
        @WithDefault("10m")
        Duration idleTimeout();
    }

    interface Qemu {
        @WithDefault("qemu-system-x86_64")
        String binary();

        @WithDefault("/usr/share/ovmf/OVMF.amdsev.fd")
        String ovmf();

        @WithDefault("/var/lib/parma/uvm/vmlinuz")
        String kernel();

        @WithDefault("/var/lib/parma/uvm/initrd.img")
        String initrd();

        @WithDefault("console=ttyS0 panic=-1 rootfstype=ext4")
        String cmdline();

        /** C-bit position (51 on Milan/Genoa). */
        @WithDefault("51")
        int cbitpos();

        @WithDefault("1")
        int reducedPhysBits();

        /** SNP guest policy (0x30000: SMT allowed, ABI 0.0, no debug, no migration agent). */
        @WithDefault("0x30000")
        String policy();
    }
}
