/**
 * Who may call the management endpoints: operators (role {@code sre}) for provider-level policy, reference values
 * and admin actions; a tenant's own callers for its policies and keys. Bearer tokens are verified by Quarkus'
 * smallrye-jwt (RS256, configured issuer and JWKS); {@link dev.parma.attestation.auth.AccessRules} says what each
 * path needs and {@link dev.parma.attestation.auth.AccessFilter} enforces it with CloudErrors.
 */
package dev.parma.attestation.auth;
