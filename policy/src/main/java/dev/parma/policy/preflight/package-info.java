/** Pre-flight: would each container of a group be allowed by a policy, and if not, which field and why. */
package dev.parma.policy.preflight;
