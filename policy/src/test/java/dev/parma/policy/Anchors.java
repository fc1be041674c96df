package dev.parma.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.parma.policy.model.Policies;
import dev.parma.policy.model.Policy;

/** Test access to the real policies copied into src/test/resources/anchors (see PROVENANCE.md there). */
public final class Anchors {

    public static final String ENV_VARS = "confcom_sample_environment_variables_policy.rego";
    public static final String VOLUME_MOUNTS = "confcom_sample_volume_mounts_policy.rego";
    public static final String MINIMAL_DEBUG = "confcom_sample_minimal_policy_debug.rego";
    public static final String TEMPLATE_OUTPUT = "confcom_sample_template_output_arm_template.ccePolicy.decoded.rego";
    public static final String EXISTING = "confcom_sample_existing_policy_arm_template.ccePolicy.decoded.rego";
    public static final String ALLOW_ALL_1 = "csc_allow_all_policy_1.rego";
    public static final String ALLOW_ALL_2 = "csc_allow_all_policy_2.rego";

    private Anchors() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Anchors.class.getResourceAsStream("/anchors/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no anchor " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    public static Policy policy(String name) {
        return Policies.fromBytes(bytes(name));
    }
}
