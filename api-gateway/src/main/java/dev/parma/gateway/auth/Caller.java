package dev.parma.gateway.auth;

import java.util.Set;

/**
 * Who is calling, from a verified bearer token: the tenant ({@code tid}), the object id ({@code oid} or
 * {@code sub}) and the Parma roles ({@code roles}).
 */
public record Caller(String tenant, String objectId, Set<Role> roles) {

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
