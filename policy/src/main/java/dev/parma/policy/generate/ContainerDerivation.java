package dev.parma.policy.generate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.parma.policy.model.CapabilitySets;
import dev.parma.policy.model.Container;
import dev.parma.policy.model.EnvRule;
import dev.parma.policy.model.ExecProcess;
import dev.parma.policy.model.IdName;
import dev.parma.policy.model.LinuxDefaults;
import dev.parma.policy.model.MatchStrategy;
import dev.parma.policy.model.MountConstraint;
import dev.parma.policy.model.UserRule;
import dev.parma.policy.spec.ContainerSpec;
import dev.parma.policy.spec.EnvVar;
import dev.parma.policy.spec.ImageInfo;
import dev.parma.policy.spec.SecurityContext;
import dev.parma.policy.spec.VolumeMount;

/**
 * How a spec container plus its image become policy fields. Shared by the generator (to write the policy) and by
 * pre-flight (to predict what the guest will send), so the two cannot drift apart.
 */
public final class ContainerDerivation {

    private ContainerDerivation() {
    }

    /** argv: the spec's command, else the image's entrypoint+cmd; empty if neither exists. */
    public static Optional<List<String>> argv(ContainerSpec spec, Optional<ImageInfo> image) {
        if (spec.command().isPresent()) {
            return spec.command();
        }
        return image.map(ImageInfo::defaultArgv).filter(a -> !a.isEmpty());
    }

    public static String workingDir(ContainerSpec spec, Optional<ImageInfo> image) {
        return spec.workingDir().or(() -> image.flatMap(ImageInfo::workingDir)).filter(w -> !w.isEmpty())
                .orElse("/");
    }

    /** Spec variables first, then image variables the spec does not override, then the platform's rules. */
    public static List<EnvRule> envRules(ContainerSpec spec, Optional<ImageInfo> image) {
        List<EnvRule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (EnvVar v : spec.env()) {
            names.add(v.name());
            rules.add(v.secure()
                    ? new EnvRule.Whole(com.google.re2j.Pattern.quote(v.name()) + "=.*", MatchStrategy.RE2, true)
                    : new EnvRule.Whole(v.name() + "=" + v.value(), MatchStrategy.STRING, false));
        }
        for (String e : image.map(ImageInfo::env).orElse(List.of())) {
            int eq = e.indexOf('=');
            String name = eq >= 0 ? e.substring(0, eq) : e;
            if (names.add(name)) {
                rules.add(new EnvRule.Whole(e, MatchStrategy.STRING, false));
            }
        }
        rules.addAll(PlatformContract.INJECTED_ENV_RULES);
        return rules;
    }

    /** The env the guest will be asked for (secure values replaced by a placeholder: their rule accepts any). */
    public static List<String> envValues(ContainerSpec spec, Optional<ImageInfo> image) {
        List<String> env = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (EnvVar v : spec.env()) {
            names.add(v.name());
            env.add(v.name() + "=" + (v.secure() ? "<secure>" : v.value()));
        }
        for (String e : image.map(ImageInfo::env).orElse(List.of())) {
            int eq = e.indexOf('=');
            if (names.add(eq >= 0 ? e.substring(0, eq) : e)) {
                env.add(e);
            }
        }
        env.addAll(PlatformContract.INJECTED_ENV_VALUES);
        return env;
    }

    public static List<MountConstraint> mounts(ContainerSpec spec) {
        List<MountConstraint> out = new ArrayList<>();
        for (VolumeMount m : spec.mounts()) {
            out.add(new MountConstraint(m.mountPath(), PlatformContract.VOLUME_SOURCES.get(m.kind()), "bind",
                    List.of("rbind", "rshared", m.readOnly() ? "ro" : "rw")));
        }
        out.add(PlatformContract.RESOLV_CONF);
        return out;
    }

    /** Defaults for the privilege level, plus added, minus dropped; sorted and deduplicated as confcom writes them. */
    public static CapabilitySets capabilities(SecurityContext sc) {
        CapabilitySets base = sc.privileged() ? LinuxDefaults.PRIVILEGED : LinuxDefaults.UNPRIVILEGED;
        List<List<String>> sets = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            Set<String> s = new TreeSet<>(base.all().get(i));
            // added capabilities reach inheritable/ambient only for privileged containers
            boolean addHere = i == 0 || i == 1 || i == 3 || sc.privileged() && i == 2;
            if (addHere) {
                s.addAll(sc.capabilitiesAdd());
            }
            sc.capabilitiesDrop().forEach(s::remove);
            sets.add(List.copyOf(s));
        }
        return CapabilitySets.of(sets);
    }

    public static UserRule user(SecurityContext sc) {
        IdName user = sc.runAsUser().map(u -> new IdName(Long.toString(u), IdName.Strategy.ID)).orElse(IdName.ANY);
        IdName group = sc.runAsGroup().map(g -> new IdName(Long.toString(g), IdName.Strategy.ID))
                .orElse(IdName.ANY);
        return new UserRule(user, List.of(group), "0022");
    }

    public static Container container(ContainerSpec spec, ImageInfo image, GenerateOptions o) {
        Optional<ImageInfo> img = Optional.of(image);
        List<ExecProcess> exec = new ArrayList<>();
        for (List<String> cmd : spec.execCommands()) {
            exec.add(new ExecProcess(cmd, List.of()));
        }
        if (o.debugMode()) {
            for (List<String> sh : PlatformContract.DEBUG_EXEC) {
                exec.add(new ExecProcess(sh, List.of()));
            }
        }
        SecurityContext sc = spec.securityContext();
        return new Container(Optional.of(spec.name()), Optional.of(image.reference()), image.layerHashes(),
                argv(spec, img), envRules(spec, img), workingDir(spec, img), mounts(spec), exec,
                PlatformContract.DEFAULT_SIGNALS, sc.privileged(), !o.disableStdio(), !sc.allowPrivilegeEscalation(),
                user(sc), Optional.of(capabilities(sc)), "");
    }
}
