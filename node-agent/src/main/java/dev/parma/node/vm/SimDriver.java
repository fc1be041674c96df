package dev.parma.node.vm;

import dev.parma.guest.OwnerOnly;
import dev.parma.node.sim.SecureProcessorChannel;
import dev.parma.node.sim.SimPlatform;
import dev.parma.node.sim.UvmImage;
import dev.parma.snp.sim.SimGuest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulated UVM: the software secure processor measures the guest-agent image page by page and fixes
 * HOST_DATA at LAUNCH_FINISH, then the guest agent starts as its own OS process whose only way to the secure
 * processor is the group's report channel.
 */
public final class SimDriver implements VmDriver {
    /** The simulated UVM's security version, as its publisher endorses it. */
    static final int UVM_SVN = 1;

    private final SimPlatform platform;
    private final UvmImage image;
    /** The image bytes, read once at start: what was measured is what the heartbeat publishes. */
    private final List<byte[]> contents;
    private final List<String> jvmOptions;
    private final String measurement;
    private final String endorsement;

    public SimDriver(SimPlatform platform, UvmImage image, String jvmOptions, String nodeId) {
        this.platform = platform;
        this.image = image;
        this.jvmOptions = image.jvmArgs(jvmOptions);
        this.contents = image.contents();
        byte[] launchDigest = platform.launch(contents, new byte[32]).measurement();
        this.measurement = HexFormat.of().formatHex(launchDigest);
        // ACI's shape: a COSE_Sign1 by the UVM's publisher over {guestsvn, launchmeasurement}
        this.endorsement = Base64.getEncoder().encodeToString(platform.publisher().endorse(launchDigest, UVM_SVN,
                java.time.Instant.now()));
    }

    public String rootsPem() {
        return platform.rootsPem();
    }

    /** The UVM publisher's root certificate (PEM): the endorsement signer relying parties trust. */
    public String endorsementSignerPem() {
        return SimPlatform.pem(platform.publisher().root());
    }

    public UvmImage image() {
        return image;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public boolean confidential() {
        return true;
    }

    @Override
    public boolean simulated() {
        return true;
    }

    @Override
    public String tcb() {
        return platform.reportedTcb();
    }

    @Override
    public String uvmMeasurement() {
        return measurement;
    }

    /** What the in-group endpoint returns as the UVM endorsement: base64 of the publisher's COSE_Sign1. */
    public String endorsement() {
        return endorsement;
    }

    /**
     * Where a UVM's sockets live: Unix socket paths are limited to 107 bytes, so not under the (deep) group
     * directory but in a short directory derived from it (the same after an agent restart). Both levels are this
     * agent's own and 0700 — the guest's host socket, its report channel and its exec relays are the host's alone;
     * the guest shows only its attestation directory, by bind mount, to its own containers — and a {@code parma-uvm}
     * that another user made (or a symbolic link) in the shared temporary directory is refused, not used.
     */
    public static Path socketDir(Path uvmDir) throws IOException {
        byte[] h;
        try {
            h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(uvmDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "parma-uvm");
        try {
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(OwnerOnly.DIRECTORY));
        } catch (java.nio.file.FileAlreadyExistsException mine) {
            // checked below
        }
        var attrs = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory() || !attrs.owner().getName().equals(System.getProperty("user.name"))) {
            throw new IOException(root + " is not a directory of this agent's user: refusing to put UVM sockets there");
        }
        Files.setPosixFilePermissions(root, OwnerOnly.DIRECTORY);
        return OwnerOnly.directory(root.resolve(HexFormat.of().formatHex(h, 0, 8)));
    }

    @Override
    public Uvm launch(String groupId, Path uvmDir, byte[] hostData, int vcpus, long memoryMb) throws IOException {
        long t0 = System.nanoTime();
        OwnerOnly.directory(uvmDir);
        Path sockets = socketDir(uvmDir);
        SimGuest guest = platform.launch(contents, hostData);
        var channel = new SecureProcessorChannel(sockets.resolve("sev-guest.sock"), guest, endorsement);
        long t1 = System.nanoTime();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", image.classpathString(), "dev.parma.guest.GuestMain", uvmDir.toString(),
                sockets.toString()));
        Files.deleteIfExists(sockets.resolve("agent.sock"));
        Files.deleteIfExists(sockets.resolve("agent.ready"));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(OwnerOnly.file(uvmDir.resolve("guest.log")).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> !Map.of("PATH", "", "HOME", "", "LANG", "").containsKey(k));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        OwnerOnly.write(uvmDir.resolve("uvm.pid"), Long.toString(p.pid()));
        var uvm = new SimUvm(p.toHandle(), sockets, channel, (t1 - t0) / 1_000_000);
        // The UVM is up when its agent listens.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(sockets.resolve("agent.ready"))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                uvm.destroy();
                throw new IOException("the UVM did not come up (exit " + (p.isAlive() ? "none" : p.exitValue())
                        + "); see " + uvmDir.resolve("guest.log"));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                uvm.destroy();
                throw new IOException("interrupted", e);
            }
        }
        uvm.launchMillis = (System.nanoTime() - t1) / 1_000_000;
        return uvm;
    }

    @Override
    public Uvm reattach(String groupId, Path uvmDir, byte[] hostData, long pid) throws IOException {
        var handle = java.lang.ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
        Path sockets = socketDir(uvmDir);
        if (handle == null || !Files.exists(sockets.resolve("agent.sock"))) {
            return null;
        }
        // Same image, same HOST_DATA, same chip: the secure processor's view of the guest is rebuilt exactly.
        var channel = new SecureProcessorChannel(sockets.resolve("sev-guest.sock"), platform.launch(contents,
                hostData), endorsement);
        return new SimUvm(handle, sockets, channel, 0);
    }

    private static final class SimUvm implements Uvm {
        private final ProcessHandle process;
        private final Path dir;
        private final SecureProcessorChannel channel;
        private final long measureMillis;
        long launchMillis;

        SimUvm(ProcessHandle process, Path dir, SecureProcessorChannel channel, long measureMillis) {
            this.process = process;
            this.dir = dir;
            this.channel = channel;
            this.measureMillis = measureMillis;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public Path agentSocket() {
            return dir.resolve("agent.sock");
        }

        @Override
        public long measureMillis() {
            return measureMillis;
        }

        @Override
        public long launchMillis() {
            return launchMillis;
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void detach() {
            channel.close();
        }

        @Override
        public void destroy() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // gone or stuck; nothing more to do
            }
            channel.close();
            try {
                dev.parma.guest.Layers.delete(dir); // the UVM's sockets, its attestation endpoint's among them
            } catch (IOException ignored) {
                // a later UVM of the group replaces what is left
            }
        }
    }
}
