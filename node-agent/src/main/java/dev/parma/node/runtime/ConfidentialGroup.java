package dev.parma.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.ContainerWorkload;
import dev.parma.contracts.node.GroupRuntimeState;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.GroupWorkload;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.contracts.node.Isolation;
import dev.parma.contracts.node.StartGroup;
import dev.parma.contracts.node.Volume;
import dev.parma.guest.Frames;
import dev.parma.guest.Layers;
import dev.parma.guest.OwnerOnly;
import dev.parma.node.images.PulledImage;
import dev.parma.node.images.Registry;
import dev.parma.node.messaging.NodeEvents;
import dev.parma.node.vm.VmDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A confidential group: one UVM (the VM driver's), the guest agent inside it deciding every request against the
 * policy whose digest is HOST_DATA. The host side pulls images, proposes layers, overlays and OCI specs, and
 * reports what the guest allowed, denied and ran. Denials become Warning events carrying the guest's decision.
 */
final class ConfidentialGroup implements GroupRuntime {

    private static final Logger LOG = Logger.getLogger(ConfidentialGroup.class);
    private static final int MAX_BACKOFF_SECONDS = 30;

    private final String nodeId;
    private final String groupId;
    private final StartGroup command;
    private final GroupWorkload workload;
    private final Path dir;
    private final NodeEvents out;
    private final VmDriver driver;
    private final Registry registry;
    private final Overhead overhead;
    private final ScheduledExecutorService timers;
    private final ExecutorService work;
    private final Probes probes;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    /** Layer image file name → the SCSI-style mount target the guest mounted it at. */
    private final Map<String, String> mountedLayers = new LinkedHashMap<>();
    /** Secret volumes written into the guest (again after an agent restart: writing is idempotent). */
    private final java.util.Set<String> providedSecrets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private VmDriver.Uvm uvm;
    private GuestClient guest;
    private ScheduledFuture<?> poller;
    private boolean stopping;
    private boolean firstRunning;
    private long launchStarted;
    private long lastUvmCpuNanos;
    /** Whether the UVM's CPU is in the overhead summary (once, when the group ends). */
    private boolean uvmAccounted;

    private static final class Container {
        final ContainerWorkload spec;
        ContainerState current = ContainerState.waiting("Starting");
        ContainerState previous;
        int restartCount;
        boolean restartPending;
        String guestId;
        int attempt;
        long lastCpuNanos;
        long lastSampleNanos;
        /** Wall nanoseconds of this run already added to the wall-time counter. */
        long wallCountedNanos;
        /** Nanoseconds the guest spent judging this run's requests (mounts, overlay, create, shutdown). */
        long policyNanos;
        /** Whether this run's cost is in the overhead summary. */
        boolean accounted;

        Container(ContainerWorkload spec) {
            this.spec = spec;
        }
    }

    ConfidentialGroup(String nodeId, StartGroup command, Path dir, NodeEvents out, VmDriver driver, Registry registry,
            Overhead overhead, ScheduledExecutorService timers, ExecutorService work, Probes probes) {
        this.nodeId = nodeId;
        this.groupId = command.groupId();
        this.command = command;
        this.workload = command.workload();
        this.dir = dir;
        this.out = out;
        this.driver = driver;
        this.registry = registry;
        this.overhead = overhead;
        this.timers = timers;
        this.work = work;
        this.probes = probes;
        workload.containers().forEach(c -> containers.put(c.name(), new Container(c)));
    }

    @Override
    public long generation() {
        return command.generation();
    }

    @Override
    public GroupWorkload workload() {
        return workload;
    }

    @Override
    public void start() {
        launchStarted = System.nanoTime();
        work.submit(this::launch);
    }

    private void launch() {
        var events = new ArrayList<InstanceEvent>();
        try {
            if (workload.hostData() == null || workload.ccePolicy() == null) {
                failAll(events, "PolicyRequired", "A confidential group needs a ccePolicy and its HOST_DATA.");
                return;
            }
            byte[] hostData = HexFormat.of().parseHex(workload.hostData());
            int vcpus = Math.max(1, (int) Math.ceil(workload.requestedCpu()));
            long memMb = Math.max(256, (long) (workload.requestedMemoryInGB() * 1024));
            // the command holds the group's secure values: state files are the agent's alone
            OwnerOnly.directory(dir);
            OwnerOnly.write(dir.resolve("group.json"), Json.mapper().writeValueAsString(command.forDisk()));
            VmDriver.Uvm launched = driver.launch(groupId, dir.resolve("uvm"), hostData, vcpus, memMb);
            synchronized (this) {
                if (stopping) {
                    accountUvm(launched);
                    launched.destroy();
                    return;
                }
                uvm = launched;
                guest = new GuestClient(uvm.agentSocket(), overhead);
            }
            overhead.phase("measure", Duration.ofMillis(uvm.measureMillis()));
            overhead.phase("launch", Duration.ofMillis(uvm.launchMillis()));
            events.add(InstanceEvent.normal(null, "UvmStarted", "Utility VM started (driver " + driver.name()
                    + ", measurement " + driver.uvmMeasurement() + ")", Instant.now()));
            ObjectNode init = Frames.object();
            init.put("policy", java.util.Base64.getEncoder().encodeToString(
                    java.util.Base64.getDecoder().decode(workload.ccePolicy())));
            long t0 = System.nanoTime();
            ObjectNode r = guest.call("init", init);
            overhead.phase("init", Duration.ofNanos(System.nanoTime() - t0));
            if (!r.path("ok").asBoolean()) {
                failAll(events, r.path("code").asText("Failed"), "The UVM refused the group: " + r.path("error")
                        .asText());
                shutDownUvm();
                return;
            }
            for (Container c : containers.values()) {
                startContainer(c, events);
            }
            synchronized (this) {
                if (!stopping) {
                    poller = timers.scheduleWithFixedDelay(this::poll, 200, 200, TimeUnit.MILLISECONDS);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "group %s: UVM launch failed", groupId);
            failAll(events, "UvmLaunchFailed", "The utility VM could not start: " + e.getMessage());
            shutDownUvm();
            return;
        } finally {
            saveState();
            report(events);
        }
    }

    /** A UVM that will run nothing is not kept: its memory goes back to the node. */
    private void shutDownUvm() {
        VmDriver.Uvm u;
        synchronized (this) {
            u = uvm;
            uvm = null;
            guest = null;
        }
        if (u != null) {
            accountUvm(u);
            u.destroy();
            unmountGuest();
        }
        overhead.uvmGone(groupId);
    }

    /** The UVM process's own CPU time so far (user + system, not its children's), or -1 once it is gone. */
    private static long cpuNanos(VmDriver.Uvm u) {
        return ProcessHandle.of(u.pid()).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos)
                .orElse(-1L);
    }

    /**
     * A UVM whose group ends (read before it is destroyed): all its CPU goes to the workload's confidential row, and
     * what the samples have not yet counted to the per-workload counter. A UVM already gone leaves its last sample.
     */
    private synchronized void accountUvm(VmDriver.Uvm u) {
        if (uvmAccounted) {
            return;
        }
        uvmAccounted = true;
        long total = Math.max(cpuNanos(u), lastUvmCpuNanos);
        overhead.uvmCpu(workload.workloadName(), (total - lastUvmCpuNanos) / 1e9);
        lastUvmCpuNanos = total;
        overhead.uvmFinished(workload.workloadName(), total / 1e9);
    }

    /**
     * The sim UVM's mounts (its containers' overlay root file systems) are on the host, and a destroyed guest cannot
     * unmount them: the host does.
     */
    private void unmountGuest() {
        try {
            Layers.unmountUnder(dir.resolve("uvm"));
        } catch (IOException e) {
            LOG.warnf("group %s: the UVM's mounts stay: %s", groupId, e.getMessage());
        }
    }

    private synchronized void failAll(List<InstanceEvent> events, String reason, String message) {
        events.add(InstanceEvent.warning(null, reason, message, Instant.now()));
        containers.values().forEach(c -> c.current = ContainerState.waiting(reason));
    }

    /** Pull, mount_device per layer, mount_overlay, create_container: each judged by the guest. */
    private void startContainer(Container c, List<InstanceEvent> events) {
        String name = c.spec.name();
        c.restartPending = false;
        if ("Terminated".equals(c.current.state())) {
            c.previous = c.current;
        }
        c.policyNanos = 0;
        c.accounted = false;
        try {
            long t0 = System.nanoTime();
            PulledImage image;
            try {
                image = ImagePulls.pull(registry, name, c.spec.image(), events, e -> {
                    synchronized (this) {
                        c.current = ContainerState.waiting(ImagePulls.BACK_OFF);
                    }
                    report(e);
                }, this::isStopping);
            } catch (ImagePulls.PullFailed e) {
                synchronized (this) {
                    c.current = ContainerState.waiting(ImagePulls.FAILED);
                }
                return;
            }
            long t1 = System.nanoTime();
            overhead.phase("pull", Duration.ofNanos(t1 - t0));
            List<String> targets = new ArrayList<>();
            for (Path layer : image.layers()) {
                String key = layer.getFileName().toString();
                String target = mountedLayers.get(key);
                if (target == null) {
                    target = "/run/mounts/scsi/m" + mountedLayers.size();
                    ObjectNode req = Frames.object();
                    req.put("target", target);
                    req.put("source", layer.toString());
                    if (denied(c, call(c, "mountDevice", req), events)) {
                        return;
                    }
                    mountedLayers.put(key, target);
                }
                targets.add(target);
            }
            c.attempt++;
            String cid = name + "-" + c.attempt;
            String rootfs = "/run/gcs/c/" + cid + "/rootfs";
            ObjectNode ov = Frames.object();
            ov.put("containerId", cid);
            var lp = ov.putArray("layerPaths");
            // hcsshim lists overlay layers top first
            for (int i = targets.size() - 1; i >= 0; i--) {
                lp.add(targets.get(i));
            }
            ov.put("target", rootfs);
            if (denied(c, call(c, "mountOverlay", ov), events)) {
                return;
            }
            Map<String, String> volumes;
            Map<String, Volume> mounted;
            try {
                volumes = Volumes.inSandbox(workload, c.spec);
                mounted = Volumes.mounted(workload, c.spec);
            } catch (Volumes.FailedMount e) {
                c.current = ContainerState.waiting("FailedMount");
                events.add(InstanceEvent.warning(name, "FailedMount", e.getMessage(), Instant.now()));
                return;
            }
            for (var v : mounted.values()) {
                if (v.kind() == Volume.Kind.SECRET && providedSecrets.add(v.name())) {
                    // the guest keeps its own copy in the UVM; the values are never logged or echoed
                    ObjectNode wv = Frames.object();
                    wv.put("name", v.name());
                    wv.put("kind", "secret");
                    var files = wv.putObject("files");
                    v.secret().forEach(files::put);
                    ObjectNode written = guest.call("writeVolume", wv);
                    if (!written.path("ok").asBoolean()) {
                        providedSecrets.remove(v.name());
                        c.current = ContainerState.waiting("FailedMount");
                        events.add(InstanceEvent.warning(name, "FailedMount", "volume '" + v.name()
                                + "' could not be provided: " + written.path("error").asText(), Instant.now()));
                        return;
                    }
                }
            }
            ObjectNode cr = Frames.object();
            cr.put("containerId", cid);
            cr.put("rootfs", rootfs);
            cr.set("spec", OciSpecs.spec(groupId, cid, c.spec, image, volumes));
            long t2 = System.nanoTime();
            overhead.phase("layers", Duration.ofNanos(t2 - t1));
            ObjectNode created = call(c, "createContainer", cr);
            overhead.phase("create", Duration.ofNanos(System.nanoTime() - t2));
            if (denied(c, created, events)) {
                return;
            }
            synchronized (this) {
                c.guestId = cid;
                c.current = ContainerState.running(Instant.now());
                c.lastCpuNanos = 0;
                c.lastSampleNanos = System.nanoTime();
                c.wallCountedNanos = 0;
            }
            List<String> unavailable = new ArrayList<>();
            created.path("unavailableCapabilities").forEach(x -> unavailable.add(x.asText()));
            StandardGroup.unavailableCapabilities(name, unavailable, events);
            events.add(InstanceEvent.normal(name, "Started", "Started container (" + created.path("runtime").asText("")
                    + ")", Instant.now()));
            firstRunning();
            probes.watch(groupId, c.spec, probeRun(c, cid));
        } catch (IOException | RuntimeException e) {
            c.current = ContainerState.waiting("Failed");
            events.add(InstanceEvent.warning(name, "Failed", "Container '" + name + "' could not start: "
                    + e.getMessage(), Instant.now()));
        }
    }

    /** A request about one container run; the guest's policy time for it is that run's. */
    private ObjectNode call(Container c, String op, ObjectNode req) throws IOException {
        ObjectNode reply = guest.call(op, req);
        c.policyNanos += GuestClient.policyNanos(reply);
        return reply;
    }

    /**
     * Adds a finished run (exited or stopped) to the overhead summary, once: CPU from the run's cgroup (which
     * outlives the container), wall time from the guest's start and finish times.
     */
    private void account(Container c, JsonNode guestStatus) {
        if (c.accounted || c.guestId == null) {
            return;
        }
        c.accounted = true;
        String run = Cgroups.run(OciSpecs.groupCgroup(groupId), c.guestId);
        long cpu = Cgroups.cpuNanos(run);
        if (cpu < 0) {
            cpu = c.lastCpuNanos; // cgroup unreadable (runc missing): the last sample is all there is
        }
        Instant started = c.current.startTime();
        Instant finished = Instant.now();
        if (guestStatus != null && guestStatus.hasNonNull("startedAt")) {
            started = Instant.parse(guestStatus.path("startedAt").asText());
        }
        if (guestStatus != null && guestStatus.hasNonNull("finishedAt")) {
            finished = Instant.parse(guestStatus.path("finishedAt").asText());
        }
        long wall = started == null ? 0 : Math.max(0, Duration.between(started, finished).toNanos());
        String w = workload.workloadName();
        overhead.containerCpu(w, Isolation.CONFIDENTIAL, (cpu - c.lastCpuNanos) / 1e9);
        overhead.containerWall(w, Isolation.CONFIDENTIAL, (wall - c.wallCountedNanos) / 1e9);
        c.lastCpuNanos = cpu;
        c.wallCountedNanos = Math.max(wall, c.wallCountedNanos);
        overhead.finished(w, Isolation.CONFIDENTIAL, cpu / 1e9, wall / 1e9, c.policyNanos / 1e9);
        Cgroups.remove(run);
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    private synchronized void firstRunning() {
        if (!firstRunning) {
            firstRunning = true;
            overhead.phase("first_container", Duration.ofNanos(System.nanoTime() - launchStarted));
        }
    }

    /** A refused request: the container waits, and the group shows the guest's decision. */
    private boolean denied(Container c, ObjectNode reply, List<InstanceEvent> events) {
        if (reply.path("ok").asBoolean()) {
            return false;
        }
        boolean policy = reply.path("denied").asBoolean();
        if (policy) {
            overhead.policyDenied(reply.path("point").asText("unknown"));
        }
        String reason = policy ? "PolicyDenied" : reply.path("code").asText("Failed");
        c.current = ContainerState.waiting(reason);
        String msg = policy
                ? "The UVM's execution policy denied " + reply.path("point").asText().toLowerCase() + " for container '"
                        + c.spec.name() + "': " + String.join("; ", GuestErrors.of(reply)) + " "
                        + reply.path("error").asText()
                : "Container '" + c.spec.name() + "': " + reply.path("error").asText();
        events.add(InstanceEvent.warning(c.spec.name(), reason, msg, Instant.now()));
        return true;
    }

    private void poll() {
        ObjectNode st;
        try {
            GuestClient g;
            synchronized (this) {
                if (stopping || guest == null) {
                    return;
                }
                g = guest;
            }
            st = g.call("status");
        } catch (IOException e) {
            uvmLost();
            return;
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        st.path("containers").forEach(n -> byId.put(n.path("id").asText(), n));
        var events = new ArrayList<InstanceEvent>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            for (Container c : containers.values()) {
                JsonNode s = c.guestId == null ? null : byId.get(c.guestId);
                if (s == null || !"Terminated".equals(s.path("state").asText()) || !"Running".equals(c.current
                        .state())) {
                    continue;
                }
                int code = s.path("exitCode").asInt();
                // The guest's own times, not when this poll noticed the exit (up to a poll interval later).
                Instant now = guestTime(s, "finishedAt", Instant.now());
                account(c, s);
                c.current = ContainerState.terminated(guestTime(s, "startedAt", c.current.startTime()), code, now,
                        code == 0
                                ? "Completed"
                                : "Error");
                events.add(code == 0
                        ? InstanceEvent.normal(c.spec.name(), "Completed", "Container exited with code 0", now)
                        : InstanceEvent.warning(c.spec.name(), "Terminated", "Container exited with code " + code,
                                now));
                if (restarts(code)) {
                    c.restartCount++;
                    c.restartPending = true;
                    long delay = Math.min(c.restartCount, MAX_BACKOFF_SECONDS);
                    events.add(InstanceEvent.warning(c.spec.name(), "BackOff", "Back-off " + delay
                            + "s restarting container", now));
                    timers.schedule(() -> work.submit(() -> restart(c)), delay, TimeUnit.SECONDS);
                }
            }
        }
        if (!events.isEmpty()) {
            saveState();
            report(events);
        }
    }

    private static Instant guestTime(JsonNode status, String field, Instant otherwise) {
        try {
            return status.hasNonNull(field) ? Instant.parse(status.get(field).asText()) : otherwise;
        } catch (java.time.format.DateTimeParseException e) {
            return otherwise;
        }
    }

    private void restart(Container c) {
        synchronized (this) {
            if (stopping || !c.restartPending) {
                return;
            }
        }
        var events = new ArrayList<InstanceEvent>();
        startContainer(c, events);
        saveState();
        report(events);
    }

    private void uvmLost() {
        var events = new ArrayList<InstanceEvent>();
        VmDriver.Uvm lost;
        synchronized (this) {
            if (stopping || uvm == null || uvm.alive()) {
                return;
            }
            lost = uvm;
            stopping = true;
            if (poller != null) {
                poller.cancel(false);
            }
            Instant now = Instant.now();
            for (Container c : containers.values()) {
                if ("Running".equals(c.current.state())) {
                    c.current = ContainerState.terminated(c.current.startTime(), 137, now, "UvmStopped");
                }
                c.restartPending = false;
            }
            events.add(InstanceEvent.warning(null, "UvmStopped", "The utility VM stopped unexpectedly", now));
        }
        accountUvm(lost);
        unmountGuest();
        overhead.uvmGone(groupId);
        report(events);
    }

    @Override
    public void stop(Duration grace) {
        GuestClient g;
        VmDriver.Uvm u;
        synchronized (this) {
            stopping = true;
            if (poller != null) {
                poller.cancel(false);
            }
            g = guest;
            u = uvm;
        }
        if (g != null) {
            List<Container> stopped = new ArrayList<>();
            for (Container c : containers.values()) {
                if (c.guestId != null && "Running".equals(c.current.state())) {
                    try {
                        ObjectNode req = Frames.object();
                        req.put("containerId", c.guestId);
                        req.put("graceMillis", grace.toMillis());
                        c.policyNanos += GuestClient.policyNanos(g.call("shutdown", req));
                        stopped.add(c);
                    } catch (IOException e) {
                        LOG.debugf("group %s: shutdown of %s: %s", groupId, c.guestId, e.getMessage());
                    }
                }
            }
            accountStopped(g, stopped);
        }
        if (u != null) {
            accountUvm(u);
            u.destroy();
            unmountGuest();
        }
        overhead.uvmGone(groupId);
        Cgroups.remove(OciSpecs.groupCgroup(groupId));
        try {
            Files.deleteIfExists(dir.resolve("group.json"));
        } catch (IOException ignored) {
            // the directory goes with the group
        }
    }

    /** Stopped runs count as finished runs, with the guest's own start and finish times. */
    private void accountStopped(GuestClient g, List<Container> stopped) {
        if (stopped.isEmpty()) {
            return;
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        try {
            g.call("status").path("containers").forEach(n -> byId.put(n.path("id").asText(), n));
        } catch (IOException e) {
            LOG.debugf("group %s: no status after shutdown: %s", groupId, e.getMessage());
        }
        synchronized (this) {
            stopped.forEach(c -> account(c, byId.get(c.guestId)));
        }
    }

    @Override
    public synchronized void detach() {
        stopping = true;
        if (poller != null) {
            poller.cancel(false);
        }
        saveState();
        if (uvm != null) {
            uvm.detach();
        }
    }

    /** Takes over a UVM left running by a previous agent: its containers are whatever the guest says runs. */
    boolean reattach(long pid, Map<String, String> guestIds, Map<String, Integer> restarts,
            Map<String, String> layers, java.util.Set<String> finished) throws IOException {
        mountedLayers.putAll(layers);
        byte[] hostData = HexFormat.of().parseHex(workload.hostData());
        VmDriver.Uvm u = driver.reattach(groupId, dir.resolve("uvm"), hostData, pid);
        if (u == null) {
            return false;
        }
        uvm = u;
        guest = new GuestClient(u.agentSocket(), overhead);
        // this agent's counter counts from now on; the summary takes the UVM's whole CPU when its group ends
        lastUvmCpuNanos = Math.max(0, cpuNanos(u));
        ObjectNode st = guest.call("status");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        st.path("containers").forEach(n -> byId.put(n.path("id").asText(), n));
        for (Container c : containers.values()) {
            c.guestId = guestIds.get(c.spec.name());
            c.restartCount = restarts.getOrDefault(c.spec.name(), 0);
            JsonNode s = c.guestId == null ? null : byId.get(c.guestId);
            if (s == null) {
                c.current = ContainerState.waiting("Recovering");
                continue;
            }
            c.attempt = Integer.parseInt(c.guestId.substring(c.guestId.lastIndexOf('-') + 1));
            Instant started = Instant.parse(s.path("startedAt").asText());
            // the counters of this agent count from now on; the summary takes each run whole when it ends
            c.lastCpuNanos = Math.max(0, Cgroups.cpuNanos(Cgroups.run(OciSpecs.groupCgroup(groupId), c.guestId)));
            c.lastSampleNanos = System.nanoTime();
            c.wallCountedNanos = Duration.between(started, Instant.now()).toNanos();
            if (finished.contains(c.guestId)) {
                // the previous agent saw it end (and maybe scheduled a restart it did not live to do)
                int code = s.path("exitCode").asInt();
                c.accounted = true;
                c.current = ContainerState.terminated(started, code, Instant.parse(s.path("finishedAt").asText()),
                        code == 0 ? "Completed" : "Error");
                if (restarts(code)) {
                    c.restartPending = true;
                    timers.schedule(() -> work.submit(() -> restart(c)), 1, TimeUnit.SECONDS);
                }
            } else {
                // running, or ended while no agent watched: the poller reports (and restarts) it as usual
                c.current = ContainerState.running(started);
                probes.watch(groupId, c.spec, probeRun(c, c.guestId));
            }
        }
        firstRunning = true;
        poller = timers.scheduleWithFixedDelay(this::poll, 200, 200, TimeUnit.MILLISECONDS);
        return true;
    }

    /**
     * What the probes may do with a run: exec into it through the guest (which judges the command, and whose answer
     * is not quoted: the policy may withhold the container's output from the host), report on the group, and shut it
     * down (the poller then sees the exit and restarts it per policy).
     */
    private Probes.Run probeRun(Container c, String cid) {
        String name = c.spec.name();
        return new Probes.Run() {
            @Override
            public boolean current() {
                synchronized (ConfidentialGroup.this) {
                    return !stopping && guest != null && cid.equals(c.guestId) && "Running".equals(c.current.state());
                }
            }

            @Override
            public ExecStream exec(List<String> command, Duration timeout) throws IOException, ExecRefused {
                ObjectNode r = ConfidentialGroup.this.exec(name, command, null, timeout);
                if (r.path("denied").asBoolean()) {
                    throw new ExecRefused("The UVM's execution policy denied exec_in_container for container '" + name
                            + "': " + String.join("; ", GuestErrors.of(r)) + " " + r.path("error").asText(), true);
                }
                if (!r.path("ok").asBoolean()) {
                    throw new ExecRefused(r.path("error").asText("the guest refused the exec"), false);
                }
                return Probes.finished(r.path("exitCode").asInt(-1), "");
            }

            @Override
            public void report(List<InstanceEvent> events) {
                ConfidentialGroup.this.report(events);
            }

            @Override
            public void kill(Duration grace) {
                GuestClient g;
                synchronized (ConfidentialGroup.this) {
                    g = guest;
                }
                try {
                    ObjectNode req = Frames.object();
                    req.put("containerId", cid);
                    req.put("graceMillis", grace.toMillis());
                    ObjectNode r = g == null ? null : g.call("shutdown", req);
                    if (r != null && !r.path("ok").asBoolean()) {
                        LOG.warnf("group %s: the guest refused to stop %s: %s", groupId, cid, r.path("error")
                                .asText());
                    }
                } catch (IOException e) {
                    LOG.warnf("group %s: stopping %s failed: %s", groupId, cid, e.getMessage());
                }
            }
        };
    }

    private boolean restarts(int exitCode) {
        String policy = workload.restartPolicy() == null ? "Always" : workload.restartPolicy();
        return "Always".equals(policy) || ("OnFailure".equals(policy) && exitCode != 0);
    }

    private synchronized void saveState() {
        try {
            if (stopping && uvm == null) {
                return;
            }
            ObjectNode s = Frames.object();
            s.put("uvmPid", uvm == null ? -1 : uvm.pid());
            ObjectNode ids = s.putObject("containers");
            ObjectNode restarts = s.putObject("restarts");
            var finished = s.putArray("finished");
            for (Container c : containers.values()) {
                if (c.guestId != null) {
                    ids.put(c.spec.name(), c.guestId);
                    if (c.accounted) {
                        finished.add(c.guestId);
                    }
                }
                restarts.put(c.spec.name(), c.restartCount);
            }
            var layers = s.putObject("mountedLayers");
            mountedLayers.forEach(layers::put);
            OwnerOnly.directory(dir);
            OwnerOnly.write(dir.resolve("uvm-state.json"), Frames.JSON.writeValueAsString(s));
        } catch (IOException e) {
            LOG.warnf("group %s: could not save state: %s", groupId, e.getMessage());
        }
    }

    @Override
    public synchronized Map<String, Long> pids() {
        var pids = new LinkedHashMap<String, Long>();
        if (uvm != null && uvm.alive()) {
            pids.put("uvm", uvm.pid());
            try {
                for (JsonNode n : guest.call("status").path("containers")) {
                    if ("Running".equals(n.path("state").asText())) {
                        String id = n.path("id").asText();
                        pids.put(id.substring(0, id.lastIndexOf('-')), n.path("pid").asLong());
                    }
                }
            } catch (IOException ignored) {
                // UVM going away
            }
        }
        return pids;
    }

    @Override
    public String logs(String container, int tail, boolean timestamps) throws IOException {
        String id;
        GuestClient g;
        synchronized (this) {
            var c = containers.get(container);
            if (c == null) {
                throw new IllegalArgumentException("no container " + container + " in group " + groupId);
            }
            id = c.guestId;
            g = guest;
        }
        if (id == null || g == null) {
            return "";
        }
        ObjectNode req = Frames.object();
        req.put("containerId", id);
        req.put("tail", tail);
        req.put("timestamps", timestamps);
        ObjectNode r = g.call("logs", req);
        if (!r.path("ok").asBoolean()) {
            throw new SecurityException(r.path("error").asText());
        }
        return r.path("log").asText();
    }

    /** Guest-side exec (for tests and a future exec API): the reply, denials included. */
    ObjectNode exec(String container, List<String> args, List<String> env, Duration timeout) throws IOException {
        ObjectNode req = Frames.object();
        req.put("timeoutSeconds", Math.max(1, timeout.toSeconds()));
        synchronized (this) {
            req.put("containerId", containers.get(container).guestId);
        }
        var a = req.putArray("args");
        args.forEach(a::add);
        if (env != null) {
            var e = req.putArray("env");
            env.forEach(e::add);
        }
        return guest.call("exec", req);
    }

    /**
     * An interactive exec: the guest judges it (exec_in_container) and, if allowed, serves the process's stdio on a
     * socket of its own, which the host only relays. A denial is reported on the group like any other.
     */
    @Override
    public ExecStream openExec(String container, List<String> args) throws IOException, ExecRefused {
        String id;
        GuestClient g;
        synchronized (this) {
            var c = containers.get(container);
            if (c == null) {
                throw new IllegalArgumentException("no container " + container + " in group " + groupId);
            }
            if (c.guestId == null || guest == null || !"Running".equals(c.current.state())) {
                throw new IllegalStateException("container " + container + " is not running");
            }
            id = c.guestId;
            g = guest;
        }
        ObjectNode req = Frames.object();
        req.put("containerId", id);
        args.forEach(req.putArray("args")::add);
        ObjectNode r = g.call("execStream", req);
        if (r.path("denied").asBoolean()) {
            overhead.policyDenied(r.path("point").asText("unknown"));
            String reason = String.join("; ", GuestErrors.of(r)) + " " + r.path("error").asText();
            report(List.of(InstanceEvent.warning(container, "PolicyDenied", "The UVM's execution policy denied "
                    + r.path("point").asText().toLowerCase() + " for container '" + container + "': " + reason,
                    Instant.now())));
            throw new ExecRefused("exec_in_container denied: " + reason.strip(), true);
        }
        if (!r.path("ok").asBoolean()) {
            throw new ExecRefused(r.path("error").asText("the guest refused the exec"), false);
        }
        return GuestExecStream.connect(Path.of(r.path("socket").asText()));
    }

    ObjectNode signal(String container, int signal) throws IOException {
        ObjectNode req = Frames.object();
        synchronized (this) {
            req.put("containerId", containers.get(container).guestId);
        }
        req.put("signal", signal);
        return guest.call("signal", req);
    }

    @Override
    public void sample(Overhead o) {
        synchronized (this) {
            if (uvm == null || stopping) {
                return;
            }
            long now = System.nanoTime();
            for (Container c : containers.values()) {
                if (c.guestId == null || !"Running".equals(c.current.state())) {
                    continue;
                }
                String w = workload.workloadName();
                long cpu = Cgroups.cpuNanos(Cgroups.run(OciSpecs.groupCgroup(groupId), c.guestId));
                if (cpu >= 0) {
                    o.containerCpu(w, Isolation.CONFIDENTIAL, (cpu - c.lastCpuNanos) / 1e9);
                    c.lastCpuNanos = cpu;
                }
                o.containerWall(w, Isolation.CONFIDENTIAL, (now - c.lastSampleNanos) / 1e9);
                c.wallCountedNanos += now - c.lastSampleNanos;
                c.lastSampleNanos = now;
            }
            long n = cpuNanos(uvm);
            if (n >= 0) {
                o.uvmCpu(workload.workloadName(), (n - lastUvmCpuNanos) / 1e9);
                lastUvmCpuNanos = n;
            }
            o.uvmMemory(groupId, uvm.pid());
        }
    }

    @Override
    public void reportNow() {
        report(List.of());
    }

    private void report(List<InstanceEvent> events) {
        List<ContainerStatus> statuses;
        GroupRuntimeState state;
        synchronized (this) {
            statuses = containers.values().stream()
                    .map(c -> new ContainerStatus(c.spec.name(), c.current, c.previous, c.restartCount)).toList();
            state = state();
        }
        out.send(new GroupStatus(UUID.randomUUID().toString(), nodeId, groupId, command.generation(), state, statuses,
                events, Instant.now()));
    }

    private GroupRuntimeState state() {
        boolean allSucceeded = true;
        boolean pending = false;
        for (var c : containers.values()) {
            if ("Running".equals(c.current.state()) || c.restartPending) {
                return GroupRuntimeState.Running;
            }
            if ("Starting".equals(c.current.detailStatus()) || "Recovering".equals(c.current.detailStatus())
                    || ImagePulls.BACK_OFF.equals(c.current.detailStatus())) {
                pending = true;
            }
            if (!"Terminated".equals(c.current.state()) || c.current.exitCode() == null || c.current.exitCode() != 0) {
                allSucceeded = false;
            }
        }
        if (pending) {
            return GroupRuntimeState.Pending;
        }
        return allSucceeded ? GroupRuntimeState.Succeeded : GroupRuntimeState.Failed;
    }

    /** The guest's structured errors. */
    static final class GuestErrors {
        static List<String> of(ObjectNode reply) {
            List<String> out = new ArrayList<>();
            reply.path("errors").forEach(e -> out.add(e.asText()));
            return out;
        }
    }
}
