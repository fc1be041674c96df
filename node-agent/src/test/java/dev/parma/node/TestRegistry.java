package dev.parma.node;

import dev.parma.testsupport.OciRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * test-support's real OCI registry (Debian's docker-registry with busybox images built here) as a Quarkus test
 * resource: the node agent under test pulls from it. Besides test-support's tags it holds {@code busybox:socat}
 * (busybox with the host's socat, a client for the in-group attestation socket). It fails (never skips) when
 * docker-registry, busybox or socat is missing: scripts/install-deps.sh installs them.
 */
public class TestRegistry implements QuarkusTestResourceLifecycleManager {

    /** host:port of the running registry. */
    public static volatile String address;
    /** dm-verity root hash of each pushed tag's single layer image. */
    public static final Map<String, String> LAYER_HASH = new java.util.concurrent.ConcurrentHashMap<>();

    private OciRegistry registry;

    @Override
    public Map<String, String> start() {
        registry = new OciRegistry();
        var config = registry.start();
        address = registry.address;
        registry.pushWithPrograms("socat", List.of("socat"));
        LAYER_HASH.putAll(registry.layerHash);
        return config;
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
    }
}
