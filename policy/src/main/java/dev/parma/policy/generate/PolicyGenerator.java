package dev.parma.policy.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.parma.policy.Require;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.Flags;
import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.GroupSpec;
import dev.parma.policy.spec.ImageInfo;

/**
 * Container group + image data → policy text in confcom's form. Deterministic: the same input gives the same bytes
 * and so the same HOST_DATA; the output always parses back.
 */
public final class PolicyGenerator {

    private PolicyGenerator() {
    }

    /**
     * @param images image data by the spec's image reference; every container's image must be present
     */
    public static String generate(GroupSpec group, Map<String, ImageInfo> images, GenerateOptions options) {
        Require.nonNull(group, "group");
        Require.nonNull(images, "images");
        Require.nonNull(options, "options");
        List<Container> containers = new ArrayList<>();
        for (ContainerSpec c : group.containers()) {
            ImageInfo image = images.get(c.image());
            if (image == null) {
                throw new IllegalArgumentException("container \"" + c.name() + "\": no image data for " + c.image());
            }
            containers.add(ContainerDerivation.container(c, image, options));
        }
        containers.add(PlatformContract.pauseContainer(PlatformContract.DEFAULT_SIGNALS));
        Flags flags = new Flags(true, options.debugMode(), options.debugMode(),
                options.allowEnvironmentVariableDropping(), false, options.allowCapabilityDropping(), false);
        return PolicyWriter.write(new PolicyWriter.Draft(options.apiVersion(), options.frameworkVersion(),
                options.fragments(), containers, List.of(), flags));
    }

    /** Generates and parses back (a generated policy that does not parse is a bug, reported as such). */
    public static Policy generatePolicy(GroupSpec group, Map<String, ImageInfo> images, GenerateOptions options) {
        String text = generate(group, images, options);
        try {
            return Policies.fromText(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("generated policy does not parse: " + e.getMessage(), e);
        }
    }
}
