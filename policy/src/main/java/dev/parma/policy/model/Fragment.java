package dev.parma.policy.model;

import java.util.List;
import java.util.Optional;

import dev.parma.policy.Require;

/**
 * A policy fragment module (its package is its namespace). The signature envelope is checked by the caller; this is
 * the Rego payload.
 *
 * @param svn the fragment's {@code svn} as written (string or number text)
 */
public record Fragment(String namespace, String svn, Optional<Semver> frameworkVersion, List<Container> containers,
        List<FragmentRef> fragments, List<ExternalProcess> externalProcesses) {

    public Fragment {
        Require.nonNull(namespace, "namespace");
        Require.nonNull(svn, "svn");
        Require.nonNull(frameworkVersion, "frameworkVersion");
        containers = Require.list(containers, "containers");
        fragments = Require.list(fragments, "fragments");
        externalProcesses = Require.list(externalProcesses, "externalProcesses");
    }
}
