package dev.parma.node.images;

import java.util.Optional;

/**
 * A parsed image reference: registry host (with port), repository, and a tag or digest. References without a
 * registry host are Docker Hub names ({@code busybox:1.36} → {@code library/busybox}) and resolve through the
 * node's registry mirror.
 */
public record ImageRef(String registry, String repository, String reference) {

    public static ImageRef parse(String image, Optional<String> mirror) {
        String rest = image;
        String registry = null;
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = image.substring(slash + 1);
            }
        }
        if (registry == null || registry.equals("docker.io") || registry.equals("index.docker.io")) {
            if (!rest.contains("/")) {
                rest = "library/" + rest;
            }
            registry = mirror.orElseThrow(() -> new IllegalArgumentException("image " + image
                    + " is on Docker Hub, which this node cannot reach, and no registry mirror is configured"));
        }
        String reference;
        int at = rest.indexOf('@');
        if (at >= 0) {
            reference = rest.substring(at + 1);
            rest = rest.substring(0, at);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                reference = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            } else {
                reference = "latest";
            }
        }
        return new ImageRef(registry, rest, reference);
    }

    public boolean byDigest() {
        return reference.startsWith("sha256:");
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (byDigest() ? "@" : ":") + reference;
    }
}
