/**
 * Execution policies for confidential container groups: parse ({@code rego}), model ({@code model}), measure
 * ({@code digest}), enforce ({@code engine}), generate ({@code generate}), check before deploying ({@code preflight})
 * and hash layers ({@code verity}). See policy/README.md.
 */
package dev.parma.policy;
