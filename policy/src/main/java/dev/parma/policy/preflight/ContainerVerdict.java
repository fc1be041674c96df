package dev.parma.policy.preflight;

import java.util.List;
import java.util.Optional;

import dev.parma.policy.Require;

/**
 * Would create_container be allowed for this container? If not, the problems against the closest policy container.
 *
 * @param closestPolicyContainer the policy container compared against (its label)
 * @param notes what could not be checked (e.g. no image data) or will happen silently (dropped variables)
 */
public record ContainerVerdict(String container, boolean allowed, Optional<String> closestPolicyContainer,
        List<FieldProblem> problems, List<String> notes) {

    public ContainerVerdict {
        Require.nonNull(container, "container");
        Require.nonNull(closestPolicyContainer, "closestPolicyContainer");
        problems = Require.list(problems, "problems");
        notes = Require.list(notes, "notes");
    }
}
