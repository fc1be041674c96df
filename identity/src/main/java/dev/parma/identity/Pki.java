package dev.parma.identity;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A PKI on disk: the CA in {@code <root>/ca} and one {@link IdentityDir} per enrolled principal, named by its common
 * name ({@code <root>/deployment-service}, {@code <root>/node-agent.node-1}, …). The local run keeps one in
 * {@code .run/pki}; tests make one per JVM.
 */
public final class Pki {

    private final Path root;
    private final PlatformCa ca;

    private Pki(Path root, PlatformCa ca) {
        this.root = root;
        this.ca = ca;
    }

    /** The PKI at {@code root}, creating its CA on first use. */
    public static Pki at(Path root) {
        Files600.ownerOnly(root);
        Files600.ownerOnly(root.resolve("ca"));
        return new Pki(root, PlatformCa.loadOrCreate(root.resolve("ca"), "Parma platform CA"));
    }

    public PlatformCa ca() {
        return ca;
    }

    public Path root() {
        return root;
    }

    /** The identity directory of {@code principal} (it may not be enrolled yet). */
    public IdentityDir dir(Principal principal) {
        return new IdentityDir(root.resolve(principal.commonName()));
    }

    /**
     * Issues {@code principal} a TLS certificate for {@code hosts} (and a sealing certificate if it is a node) and
     * writes its identity directory, replacing what was there.
     */
    public IdentityDir enroll(Principal principal, List<String> hosts) {
        var tls = ca.issue(principal, Purpose.TLS, hosts);
        Optional<Credentials> sealing = principal instanceof Principal.Node
                ? Optional.of(ca.issue(principal, Purpose.SEALING, List.of()))
                : Optional.empty();
        return dir(principal).write(ca.certificate(), tls, sealing);
    }

    /** Enrols {@code principal} unless its directory already holds a certificate from this CA. */
    public IdentityDir ensure(Principal principal, List<String> hosts) {
        var dir = dir(principal);
        if (java.nio.file.Files.exists(dir.keyFile())) {
            try {
                if (new PlatformTrust(ca.certificate()).verify(dir.tls().chain(), Purpose.TLS).equals(principal)) {
                    return dir;
                }
            } catch (RuntimeException e) {
                // unreadable, expired or from another CA: issue again below
            }
        }
        return enroll(principal, hosts);
    }
}
