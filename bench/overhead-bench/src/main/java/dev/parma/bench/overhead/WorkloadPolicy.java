package dev.parma.bench.overhead;

import dev.parma.node.images.PulledImage;
import dev.parma.node.images.Registry;
import dev.parma.policy.generate.GenerateOptions;
import dev.parma.policy.generate.PolicyGenerator;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.verity.VerityHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Execution policies for the workloads, generated as a tenant's tooling would: the image is pulled from the same
 * registry the nodes use (with the node agent's own puller, so the layer images are byte for byte what the guest
 * verifies), each layer's dm-verity root is computed, and the policy allows exactly one container: this image with
 * this command.
 */
final class WorkloadPolicy {

    private WorkloadPolicy() {
    }

    /** The image's config and layer hashes, pulled through {@code mirror} (host:port) into {@code cache}. */
    static ImageInfo imageInfo(String image, String mirror, Path cache) throws IOException {
        PulledImage pulled = new Registry(cache, Optional.of(mirror), List.of()).pull(image);
        List<String> hashes = new ArrayList<>();
        for (Path layer : pulled.layers()) {
            hashes.add(VerityHash.rootHash(layer, 1));
        }
        return new ImageInfo(image, nonEmpty(pulled.entrypoint()), nonEmpty(pulled.cmd()), pulled.env(),
                pulled.workingDir(), hashes);
    }

    /** The base64 Rego policy (ARM's ccePolicy) allowing one container named {@code name}: image with command. */
    static String ccePolicy(ImageInfo image, String name, List<String> command) {
        var spec = ContainerSpec.of(name, image.reference()).withCommand(command);
        String rego = PolicyGenerator.generate(new GroupSpec(List.of(spec)), Map.of(image.reference(), image),
                GenerateOptions.defaults());
        return Base64.getEncoder().encodeToString(rego.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<List<String>> nonEmpty(List<String> l) {
        return l.isEmpty() ? Optional.empty() : Optional.of(l);
    }
}
