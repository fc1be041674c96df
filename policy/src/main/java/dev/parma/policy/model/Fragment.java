package dev.parma.policy.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy fragment module (its package is its namespace). The signature envelope is checked by the caller; this is
 * the Rego payload.
 *
 * @param svn the fragment's {@code svn} as written (string or number text)
 */
public record Fragment(String namespace, String svn, Optional<Semver> frameworkVersion, List<Container> containers,
        List<FragmentRef> fragments, List<ExternalProcess> externalProcesses) {

    public Fragment {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(svn, "svn");
        Objects.requireNonNull(frameworkVersion, "frameworkVersion");
        containers = List.copyOf(containers);
        fragments = List.copyOf(fragments);
        externalProcesses = List.copyOf(externalProcesses);
    }
}
