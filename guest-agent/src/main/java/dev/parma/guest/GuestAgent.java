package dev.parma.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.policy.engine.Decision;
import dev.parma.policy.engine.PolicyEngine;
import dev.parma.policy.engine.Request;
import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;
import dev.parma.policy.verity.VerityHash;
import dev.parma.snp.abi.AttestationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest side of a confidential group. It trusts only what the secure processor says (HOST_DATA, through the
 * report channel) and the policy whose digest equals HOST_DATA; every host request is judged by the policy engine
 * before the guest acts on it, and a denial goes back as the engine's structured decision.
 */
public final class GuestAgent {

    static final String SANDBOX_ID = "0".repeat(64);
    public static final String SANDBOX_DIR = "/run/gcs/c/" + SANDBOX_ID + "/sandboxMounts";
    static final String HUGEPAGES_DIR = "/run/gcs/c/" + SANDBOX_ID + "/hugepages";
    /** The spec annotation by which the host asks for a privileged container (judged as privileged). */
    public static final String PRIVILEGED_ANNOTATION = "dev.parma.privileged";

    private final Path dir;
    private final ReportChannel channel;
    private final Containers containers;
    private PolicyEngine engine;
    private byte[] hostData;
    private boolean refused;
    /** Mounted layer targets → the layer, verified and unpacked from the guest's private copy of its image. */
    private final Map<String, Path> devices = new LinkedHashMap<>();
    /** Overlay targets → the container root file system mounted for it. */
    private final Map<String, Path> overlays = new LinkedHashMap<>();
    private final Map<String, Boolean> stdioAccess = new LinkedHashMap<>();
    /**
     * The capabilities each container's create decision allowed: an exec'd process has its container's, and
     * exec_in_container compares them with the policy's (the spec's own may be narrower, see HostCapabilities).
     */
    private final Map<String, CapabilitySets> capabilities = new LinkedHashMap<>();
    private final PolicyClock clock = new PolicyClock();
    private final Sandbox sandbox;
    /** Where exec stdio sockets go: next to the agent's socket (Unix socket paths are short). */
    private final Path sockets;
    private final java.util.concurrent.atomic.AtomicLong execs = new java.util.concurrent.atomic.AtomicLong();

    public GuestAgent(Path dir, ReportChannel channel) {
        this(dir, dir, channel);
    }

    public GuestAgent(Path dir, Path sockets, ReportChannel channel) {
        this.dir = dir;
        this.sockets = sockets;
        this.channel = channel;
        this.containers = new Containers(dir.resolve("containers"));
        this.sandbox = new Sandbox(dir);
    }

    public Containers containers() {
        return containers;
    }

    /** Dispatches one host request. Never throws: failures and denials are replies. */
    public synchronized ObjectNode handle(ObjectNode req) {
        clock.reset();
        ObjectNode reply = dispatch(req);
        clock.stamp(reply);
        return reply;
    }

    private ObjectNode dispatch(ObjectNode req) {
        String op = req.path("op").asText("");
        try {
            if (!"init".equals(op) && !"status".equals(op) && !"stats".equals(op) && engine == null) {
                return error(refused ? "Refused" : "NotInitialized",
                        refused
                                ? "the policy does not match HOST_DATA: this UVM runs nothing"
                                : "no policy yet: send init first");
            }
            return switch (op) {
                case "init" -> init(req);
                case "mountDevice" -> mountDevice(req);
                case "mountOverlay" -> mountOverlay(req);
                case "writeVolume" -> writeVolume(req);
                case "createContainer" -> createContainer(req);
                case "exec" -> exec(req);
                case "execStream" -> execStream(req);
                case "signal" -> signal(req);
                case "shutdown" -> shutdown(req);
                case "logs" -> logs(req);
                case "status" -> status();
                case "stats" -> stats();
                default -> error("UnknownOp", "unknown op '" + op + "'");
            };
        } catch (IOException | RuntimeException e) {
            return error("Failed", op + " failed: " + e.getMessage());
        }
    }

    // ---- init: HOST_DATA check ----

    private ObjectNode init(ObjectNode req) throws IOException {
        if (engine != null) {
            return error("AlreadyInitialized", "the policy is fixed for the life of the UVM");
        }
        byte[] policyBytes = Base64.getDecoder().decode(req.path("policy").asText(""));
        var evidence = channel.request(new byte[64], 0);
        hostData = AttestationReport.parse(evidence.report()).hostData();
        byte[] digest = sha256(policyBytes);
        if (!MessageDigest.isEqual(digest, hostData)) {
            refused = true;
            return error("HostDataMismatch", "SHA-256 of the policy is " + HexFormat.of().formatHex(digest)
                    + " but HOST_DATA is " + HexFormat.of().formatHex(hostData) + ": refusing to run anything");
        }
        Policy policy = Policies.fromBytes(policyBytes);
        engine = PolicyEngine.load(policy);
        var ok = ok();
        ok.put("hostData", HexFormat.of().formatHex(hostData));
        return ok;
    }

    // ---- layers ----

    private ObjectNode mountDevice(ObjectNode req) throws IOException {
        String target = req.path("target").asText();
        Path source = Path.of(req.path("source").asText());
        // Copy first, then hash and unpack the copy: the host cannot change what was verified.
        Path layers = OwnerOnly.directory(dir.resolve("layers"));
        Path copy = layers.resolve(safe(target) + ".img");
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        OwnerOnly.narrow(copy);
        String root = VerityHash.rootHash(copy);
        Decision d = evaluate(new Request.MountDevice(target, root));
        if (d instanceof Decision.Deny deny) {
            Files.deleteIfExists(copy);
            return denied(deny);
        }
        var allow = (Decision.Allow) d;
        try {
            Path unpacked = layers.resolve(safe(target));
            Layers.unpack(copy, unpacked);
            devices.put(target, unpacked);
            allow.commit();
        } catch (IOException | RuntimeException e) {
            allow.abort();
            throw e;
        }
        var ok = ok();
        ok.put("rootHash", root);
        return ok;
    }

    private ObjectNode mountOverlay(ObjectNode req) throws IOException {
        String containerId = req.path("containerId").asText();
        String target = req.path("target").asText();
        List<String> layerPaths = strings(req.path("layerPaths"));
        Decision d = evaluate(new Request.MountOverlay(containerId, layerPaths, target));
        if (d instanceof Decision.Deny deny) {
            return denied(deny);
        }
        var allow = (Decision.Allow) d;
        try {
            // the host lists layers top first (as hcsshim does); the root file system stacks them base first
            List<Path> baseFirst = new ArrayList<>();
            for (String p : layerPaths) {
                Path l = devices.get(p);
                if (l == null) {
                    throw new IllegalStateException("layer " + p + " is not mounted");
                }
                baseFirst.add(0, l);
            }
            Path rootfs = OwnerOnly.directory(dir.resolve("rootfs")).resolve(safe(target));
            Layers.mount(baseFirst, rootfs);
            overlays.put(target, rootfs);
            allow.commit();
        } catch (IOException | RuntimeException e) {
            allow.abort();
            throw e;
        }
        return ok();
    }

    // ---- volumes ----

    /**
     * A secret volume's files, written into the sandbox. Not an enforcement point (as in hcsshim): what matters is
     * whether a container may mount it, which create_container judges.
     */
    private ObjectNode writeVolume(ObjectNode req) throws IOException {
        sandbox.write(req.path("name").asText(), req.path("kind").asText(), req.path("files"));
        return ok();
    }

    // ---- containers ----

    private ObjectNode createContainer(ObjectNode req) throws IOException {
        String id = req.path("containerId").asText();
        String target = req.path("rootfs").asText();
        ObjectNode spec = (ObjectNode) req.path("spec");
        Path rootfs = overlays.get(target);
        if (rootfs == null) {
            return error("Failed", "no overlay mounted at " + target);
        }
        JsonNode p = spec.path("process");
        var user = new Request.IdNameValue(p.path("user").path("uid").asText("0"), "");
        var groups = List.of(new Request.IdNameValue(p.path("user").path("gid").asText("0"), ""));
        JsonNode c = p.path("capabilities");
        var caps = CapabilitySets.of(List.of(strings(c.path("bounding")), strings(c.path("effective")),
                strings(c.path("inheritable")), strings(c.path("permitted")), strings(c.path("ambient"))));
        List<String> env = strings(p.path("env"));
        var process = new Request.Process(strings(p.path("args")), env, p.path("cwd").asText("/"),
                p.path("noNewPrivileges").asBoolean(false), user, groups, "0022", caps);
        List<Request.Mount> mounts = new ArrayList<>();
        for (JsonNode m : spec.path("mounts")) {
            // only an exact copy of a runtime mount is the runtime's: anything else the host proposes is judged
            if (!RuntimeDefaults.isRuntimeMount(m)) {
                mounts.add(new Request.Mount(m.path("destination").asText(), m.path("source").asText(""),
                        m.path("type").asText("bind"), strings(m.path("options"))));
            }
        }
        List<String> devicesRequested = new ArrayList<>();
        spec.path("linux").path("devices").forEach(dv -> devicesRequested.add(dv.path("path").asText()));
        boolean privileged = "true".equals(spec.path("annotations").path(PRIVILEGED_ANNOTATION).asText());
        Decision d = evaluate(new Request.CreateContainer(id, process, mounts, SANDBOX_DIR, HUGEPAGES_DIR,
                privileged, "", devicesRequested));
        if (d instanceof Decision.Deny deny) {
            return denied(deny);
        }
        var allow = (Decision.Allow) d;
        try {
            // What runs is exactly what was judged, minus what the policy says to drop; the guest owns the root.
            ObjectNode run = spec.deepCopy();
            ObjectNode proc = (ObjectNode) run.path("process");
            ArrayNode kept = proc.putArray("env");
            allow.effectiveEnv(env).forEach(kept::add);
            allow.capsList().ifPresent(cs -> {
                ObjectNode co = proc.putObject("capabilities");
                for (int i = 0; i < 5; i++) {
                    ArrayNode a = co.putArray(CapabilitySets.SET_NAMES.get(i));
                    cs.all().get(i).forEach(a::add);
                }
            });
            run.remove("hooks");
            sandbox.bind(run);
            // the guest's, whatever the host proposed: namespaces, masked paths, devices; then the platform's own
            // mount, added after the decision and last (so no mount the host proposed covers it): this group's
            // attestation endpoint, which no host request can name or point elsewhere
            RuntimeDefaults.isolate(run, privileged);
            JsonNode ms = run.get("mounts");
            (ms instanceof ArrayNode list ? list : run.putArray("mounts")).add(AttestEndpoint.mount(sockets));
            List<String> unavailable = HostCapabilities.restrict(proc);
            ((ObjectNode) run.path("root")).put("path", rootfs.toAbsolutePath().toString());
            stdioAccess.put(id, allow.allowStdioAccess());
            capabilities.put(id, allow.capsList().orElse(caps));
            var started = containers.create(id, run, allow.allowStdioAccess());
            allow.commit();
            var ok = ok();
            ok.put("runtime", started);
            if (!unavailable.isEmpty()) {
                unavailable.forEach(ok.putArray("unavailableCapabilities")::add);
            }
            return ok;
        } catch (IOException | RuntimeException e) {
            allow.abort();
            throw e;
        }
    }

    /** The host's deadline for a one-shot exec ({@code timeoutSeconds}, 1 to 3600; 30 when absent). */
    static Duration execTimeout(ObjectNode req) {
        int seconds = req.path("timeoutSeconds").asInt(30);
        return Duration.ofSeconds(Math.max(1, Math.min(3600, seconds)));
    }

    /** An exec request judged as exec_in_container: the reply refusing it, or what the policy allowed. */
    private record JudgedExec(ObjectNode refusal, String id, Request.Process process, List<String> env,
            Decision.Allow allow) {
    }

    /** The part {@link #exec} and {@link #execStream} share: the container, the process, the policy's decision. */
    private JudgedExec judgeExec(ObjectNode req) {
        String id = req.path("containerId").asText();
        var base = containers.process(id);
        if (base == null) {
            return new JudgedExec(error("NotFound", "no container " + id), id, null, null, null);
        }
        List<String> env = req.has("env") ? strings(req.path("env")) : strings(base.path("env"));
        var process = execProcess(id, req, base, env);
        Decision d = evaluate(new Request.ExecInContainer(id, process));
        if (d instanceof Decision.Deny deny) {
            return new JudgedExec(denied(deny), id, process, env, null);
        }
        return new JudgedExec(null, id, process, env, (Decision.Allow) d);
    }

    private ObjectNode exec(ObjectNode req) throws IOException {
        var j = judgeExec(req);
        if (j.refusal() != null) {
            return j.refusal();
        }
        var result = containers.exec(j.id(), j.process().argList(), j.allow().effectiveEnv(j.env()),
                j.process().workingDir(), execTimeout(req));
        j.allow().commit();
        var ok = ok();
        ok.put("exitCode", result.exitCode());
        ok.put("output", result.output());
        if (result.timedOut()) {
            ok.put("timedOut", true);
        }
        return ok;
    }

    /**
     * Like {@link #exec}, judged the same way (exec_in_container), but the process keeps running and its stdio is
     * served on a fresh Unix socket whose path the reply names (see {@link ExecRelay}). A container whose stdio the
     * policy withholds from the host gets no relay.
     */
    private ObjectNode execStream(ObjectNode req) throws IOException {
        var j = judgeExec(req);
        if (j.refusal() != null) {
            return j.refusal();
        }
        String id = j.id();
        var process = j.process();
        var env = j.env();
        var allow = j.allow();
        if (!allow.allowStdioAccess()) {
            allow.abort();
            return error("StdioAccessDenied", "the policy denies stdio access for container " + id
                    + ": an interactive exec has no output to relay");
        }
        try {
            Process p = containers.execStream(id, process.argList(), allow.effectiveEnv(env), process.workingDir());
            Path socket = sockets.resolve("exec-" + execs.incrementAndGet() + ".sock");
            ExecRelay.serve(p, socket);
            allow.commit();
            var ok = ok();
            ok.put("socket", socket.toString());
            return ok;
        } catch (IOException | RuntimeException e) {
            allow.abort();
            throw e;
        }
    }

    /** The process an exec request asks for: its args, env and cwd; user, privileges and capabilities its container's. */
    private Request.Process execProcess(String id, ObjectNode req, JsonNode base, List<String> env) {
        return new Request.Process(strings(req.path("args")), env, req.path("cwd").asText("/"),
                base.path("noNewPrivileges").asBoolean(false),
                new Request.IdNameValue(base.path("user").path("uid").asText("0"), ""),
                List.of(new Request.IdNameValue(base.path("user").path("gid").asText("0"), "")), "0022",
                capabilities.getOrDefault(id, CapabilitySets.EMPTY));
    }

    private ObjectNode signal(ObjectNode req) throws IOException {
        String id = req.path("containerId").asText();
        int signal = req.path("signal").asInt(15);
        var base = containers.process(id);
        List<String> args = base == null ? List.of() : strings(base.path("args"));
        Decision d = evaluate(new Request.SignalContainerProcess(id, signal, true, args));
        if (d instanceof Decision.Deny deny) {
            return denied(deny);
        }
        containers.signal(id, signal);
        ((Decision.Allow) d).commit();
        return ok();
    }

    private ObjectNode shutdown(ObjectNode req) throws IOException {
        String id = req.path("containerId").asText();
        Decision d = evaluate(new Request.ShutdownContainer(id));
        if (d instanceof Decision.Deny deny) {
            return denied(deny);
        }
        containers.stop(id, req.path("graceMillis").asLong(5000));
        ((Decision.Allow) d).commit();
        return ok();
    }

    private ObjectNode logs(ObjectNode req) throws IOException {
        String id = req.path("containerId").asText();
        if (!stdioAccess.getOrDefault(id, containers.stdioAccess(id))) {
            // The policy routed this container's stdio to /dev/null: there is nothing the host may read.
            return error("StdioAccessDenied", "the policy denies stdio access for container " + id);
        }
        var ok = ok();
        ok.put("log", containers.logs(id, req.path("tail").asInt(0), req.path("timestamps").asBoolean(false)));
        return ok;
    }

    private ObjectNode status() {
        var ok = ok();
        ok.put("initialized", engine != null);
        ok.set("containers", containers.status());
        return ok;
    }

    private ObjectNode stats() {
        var ok = ok();
        ok.set("policy", clock.totals());
        return ok;
    }

    /** Every policy decision goes through here, so the time inside the engine is measured per point. */
    private Decision evaluate(Request request) {
        long t0 = System.nanoTime();
        try {
            return engine.evaluate(request);
        } finally {
            clock.record(request.point(), System.nanoTime() - t0);
        }
    }

    // ---- helpers ----

    static ObjectNode ok() {
        var o = Frames.object();
        o.put("ok", true);
        return o;
    }

    static ObjectNode error(String code, String message) {
        var o = Frames.object();
        o.put("ok", false);
        o.put("code", code);
        o.put("error", message);
        return o;
    }

    private static ObjectNode denied(Decision.Deny deny) {
        var o = error("PolicyDenied", deny.errorMessage());
        o.put("denied", true);
        o.put("point", deny.point().name());
        ArrayNode errors = o.putArray("errors");
        deny.errors().forEach(errors::add);
        return o;
    }

    static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
