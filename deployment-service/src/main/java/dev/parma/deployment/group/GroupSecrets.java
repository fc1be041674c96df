package dev.parma.deployment.group;

import dev.parma.contracts.node.ContainerState;
import dev.parma.contracts.node.ContainerStatus;
import dev.parma.contracts.node.GroupStatus;
import dev.parma.contracts.node.InstanceEvent;
import dev.parma.deployment.api.ContainerGroupBody;
import dev.parma.deployment.api.ContainerGroupBody.EnvironmentVariable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A group's write-only values (secure environment values, secret volume contents, storage account keys), to scrub
 * from text that leaves the group, such as a denial reason a node reports. The guest's policy engine already
 * redacts environment values; this holds even if some reporter does not.
 */
record GroupSecrets(List<String> values) {

    static final String REDACTED = "<redacted>";

    // hcsshim's encoded decision: the guest's JSON (its input included) in base64, where a plain search sees nothing.
    private static final Pattern DECISION = Pattern
            .compile("(policyDecision<\\s*)([A-Za-z0-9+/=]+)(\\s*>policyDecision)");

    GroupSecrets {
        // longest first, so a secret that contains another is scrubbed whole
        values = values.stream().filter(v -> !v.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    static GroupSecrets of(ContainerGroupEntity g) {
        var props = ContainerGroups.read(g.spec, ContainerGroupBody.Properties.class);
        var out = new ArrayList<String>();
        props.containers().forEach(c -> secure(c.properties().environmentVariables(), out));
        if (props.initContainers() != null) {
            props.initContainers().forEach(c -> secure(c.properties().environmentVariables(), out));
        }
        if (props.volumes() != null) {
            for (var v : props.volumes()) {
                if (v.secret() != null) {
                    for (String b64 : v.secret().values()) {
                        out.add(b64);
                        out.add(decoded(b64));
                    }
                }
                if (v.azureFile() != null && v.azureFile().get("storageAccountKey") instanceof String key) {
                    out.add(key);
                }
            }
        }
        return new GroupSecrets(out);
    }

    /** {@code text} with every write-only value replaced by {@value #REDACTED}, in plain text and in a decision. */
    String scrub(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        Matcher m = DECISION.matcher(text);
        var sb = new StringBuilder();
        while (m.find()) {
            String json = decoded(m.group(2));
            String clean = replace(json);
            String b64 = clean.equals(json)
                    ? m.group(2)
                    : Base64.getEncoder().encodeToString(clean.getBytes(StandardCharsets.UTF_8));
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + b64 + m.group(3)));
        }
        m.appendTail(sb);
        return replace(sb.toString());
    }

    /**
     * The node's status with every event message and container detail scrubbed: tenants read them in the instance
     * view, and a write-only value is never returned (the GET of a group shows no secure value either).
     */
    GroupStatus scrub(GroupStatus s) {
        if (values.isEmpty()) {
            return s;
        }
        var events = s.events().stream().map(e -> new InstanceEvent(e.container(), e.name(), scrub(e.message()),
                e.type(), e.timestamp())).toList();
        var containers = s.containers().stream().map(c -> new ContainerStatus(c.name(), scrub(c.currentState()),
                scrub(c.previousState()), c.restartCount())).toList();
        return new GroupStatus(s.eventId(), s.nodeId(), s.groupId(), s.generation(), s.state(), containers, events,
                s.occurredAt());
    }

    private ContainerState scrub(ContainerState c) {
        return c == null || c.detailStatus() == null
                ? c
                : new ContainerState(c.state(), c.startTime(), c.exitCode(), c.finishTime(), scrub(c.detailStatus()));
    }

    private String replace(String text) {
        for (String v : values) {
            text = text.replace(v, REDACTED);
        }
        return text;
    }

    private static void secure(List<EnvironmentVariable> env, List<String> out) {
        if (env != null) {
            env.stream().filter(v -> v.secureValue() != null).forEach(v -> out.add(v.secureValue()));
        }
    }

    /** Base64 decoded as UTF-8, or "" when it is not base64. */
    private static String decoded(String b64) {
        try {
            return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
