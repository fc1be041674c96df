package dev.parma.contracts.node;

/** A port a container exposes (ACI's {@code ports[]}): number and protocol ({@code TCP} or {@code UDP}). */
public record ContainerPort(int port, String protocol) {

    public ContainerPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        protocol = protocol == null ? "TCP" : protocol.toUpperCase(java.util.Locale.ROOT);
    }
}
