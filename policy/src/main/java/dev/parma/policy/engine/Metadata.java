package dev.parma.policy.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.parma.policy.Require;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.Fragment;
import dev.parma.policy.model.FragmentRef;

/**
 * The guest's inductive state ({@code data.metadata} in hcsshim): what has been mounted, which policy containers
 * each container ID can still be, what has started. Immutable: every allowed decision yields a new value that the
 * caller commits only once the host operation succeeded, so a failed operation leaves no trace.
 *
 * @param devices read-only device mount target → dm-verity root hash
 * @param rwDevices writable device mount targets
 * @param overlayTargets overlay mount targets
 * @param matches container ID → policy containers it can still be
 * @param started container ID → what was fixed at creation
 * @param p9mounts plan9 mount target → container ID
 * @param scratchMounts scratch mount target → encrypted
 * @param issuers fragments loaded so far, newest first
 */
public record Metadata(Map<String, String> devices, Set<String> rwDevices, Set<String> overlayTargets,
        Map<String, List<Container>> matches, Map<String, Started> started, Map<String, String> p9mounts,
        Map<String, Boolean> scratchMounts, List<LoadedFragment> issuers) {

    public static final Metadata EMPTY = new Metadata(Map.of(), Set.of(), Set.of(), Map.of(), Map.of(), Map.of(),
            Map.of(), List.of());

    public Metadata {
        devices = Collections.unmodifiableMap(devices);
        rwDevices = Collections.unmodifiableSet(rwDevices);
        overlayTargets = Collections.unmodifiableSet(overlayTargets);
        matches = Collections.unmodifiableMap(matches);
        started = Collections.unmodifiableMap(started);
        p9mounts = Collections.unmodifiableMap(p9mounts);
        scratchMounts = Collections.unmodifiableMap(scratchMounts);
        issuers = Collections.unmodifiableList(issuers);
    }

    /** Fixed at create_container and read by exec, signal and shutdown. */
    public record Started(boolean privileged, boolean allowStdioAccess) {
    }

    /** A loaded fragment and what it contributes (only the included kinds). */
    public record LoadedFragment(String issuer, String feed, Fragment fragment, List<String> includes) {
        public LoadedFragment {
            Require.nonNull(issuer, "issuer");
            Require.nonNull(feed, "feed");
            Require.nonNull(fragment, "fragment");
            includes = Require.list(includes, "includes");
        }

        public List<Container> containers() {
            return includes.contains("containers") ? fragment.containers() : List.of();
        }

        public List<FragmentRef> fragments() {
            return includes.contains("fragments") ? fragment.fragments() : List.of();
        }

        public List<dev.parma.policy.model.ExternalProcess> externalProcesses() {
            return includes.contains("external_processes") ? fragment.externalProcesses() : List.of();
        }
    }

    // Copy-on-write updates. "add" on an existing key is a conflict, as in hcsshim's metadata ops.

    Metadata addDevice(String target, String hash) {
        return new Metadata(put(devices, target, hash, "devices"), rwDevices, overlayTargets, matches, started,
                p9mounts, scratchMounts, issuers);
    }

    Metadata removeDevice(String target) {
        return new Metadata(remove(devices, target, "devices"), rwDevices, overlayTargets, matches, started, p9mounts,
                scratchMounts, issuers);
    }

    Metadata addRwDevice(String target) {
        return new Metadata(devices, add(rwDevices, target, "rw_devices"), overlayTargets, matches, started,
                p9mounts, scratchMounts, issuers);
    }

    Metadata removeRwDevice(String target) {
        return new Metadata(devices, removeFromSet(rwDevices, target, "rw_devices"), overlayTargets, matches, started,
                p9mounts, scratchMounts, issuers);
    }

    Metadata addOverlay(String containerId, List<Container> candidates, String target) {
        return new Metadata(devices, rwDevices, add(overlayTargets, target, "overlayTargets"),
                put(matches, containerId, List.copyOf(candidates), "matches"), started, p9mounts, scratchMounts,
                issuers);
    }

    Metadata removeOverlayTarget(String target) {
        return new Metadata(devices, rwDevices, removeFromSet(overlayTargets, target, "overlayTargets"), matches,
                started, p9mounts, scratchMounts, issuers);
    }

    Metadata updateMatches(String containerId, List<Container> candidates) {
        Map<String, List<Container>> m = new HashMap<>(matches);
        m.put(containerId, List.copyOf(candidates));
        return new Metadata(devices, rwDevices, overlayTargets, m, started, p9mounts, scratchMounts, issuers);
    }

    Metadata removeMatches(String containerId) {
        return new Metadata(devices, rwDevices, overlayTargets, remove(matches, containerId, "matches"), started,
                p9mounts, scratchMounts, issuers);
    }

    Metadata addStarted(String containerId, Started s) {
        return new Metadata(devices, rwDevices, overlayTargets, matches, put(started, containerId, s, "started"),
                p9mounts, scratchMounts, issuers);
    }

    Metadata addP9(String target, String containerId) {
        return new Metadata(devices, rwDevices, overlayTargets, matches, started,
                put(p9mounts, target, containerId, "p9mounts"), scratchMounts, issuers);
    }

    Metadata removeP9(String target) {
        return new Metadata(devices, rwDevices, overlayTargets, matches, started, remove(p9mounts, target, "p9mounts"),
                scratchMounts, issuers);
    }

    Metadata addScratch(String target, boolean encrypted) {
        return new Metadata(devices, rwDevices, overlayTargets, matches, started, p9mounts,
                put(scratchMounts, target, encrypted, "scratch_mounts"), issuers);
    }

    Metadata removeScratch(String target) {
        return new Metadata(devices, rwDevices, overlayTargets, matches, started, p9mounts,
                remove(scratchMounts, target, "scratch_mounts"), issuers);
    }

    Metadata addFragment(LoadedFragment f) {
        List<LoadedFragment> l = new ArrayList<>(issuers.size() + 1);
        l.add(f);
        l.addAll(issuers);
        return new Metadata(devices, rwDevices, overlayTargets, matches, started, p9mounts, scratchMounts, l);
    }

    private static <V> Map<String, V> put(Map<String, V> m, String k, V v, String name) {
        if (m.containsKey(k)) {
            throw new StateConflictException(name + " already has key " + k);
        }
        Map<String, V> c = new HashMap<>(m);
        c.put(k, v);
        return c;
    }

    private static <V> Map<String, V> remove(Map<String, V> m, String k, String name) {
        if (!m.containsKey(k)) {
            throw new StateConflictException(name + " has no key " + k);
        }
        Map<String, V> c = new HashMap<>(m);
        c.remove(k);
        return c;
    }

    private static Set<String> add(Set<String> s, String k, String name) {
        if (s.contains(k)) {
            throw new StateConflictException(name + " already has key " + k);
        }
        Set<String> c = new HashSet<>(s);
        c.add(k);
        return c;
    }

    private static Set<String> removeFromSet(Set<String> s, String k, String name) {
        if (!s.contains(k)) {
            throw new StateConflictException(name + " has no key " + k);
        }
        Set<String> c = new HashSet<>(s);
        c.remove(k);
        return c;
    }
}
