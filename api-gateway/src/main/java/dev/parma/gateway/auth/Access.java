package dev.parma.gateway.auth;

import dev.parma.contracts.arm.CloudError;
import dev.parma.gateway.Metrics;
import dev.parma.gateway.arm.ArmError;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Authorization for every resource access. Subscriptions belong to tenants ({@link Tenancy}); a caller acts in
 * its own tenant's subscriptions according to its roles.
 *
 * <p>
 * Cross-tenant access answers <b>404 SubscriptionNotFound</b>, exactly as for a subscription that does not exist:
 * a tenant learns nothing about another tenant's subscriptions or resources. Inside its own tenant, a caller
 * whose role does not allow the action gets <b>403 AuthorizationFailed</b> (it can see the resource exists). SRE
 * reads across tenants (metadata, never container logs) and never writes; an SRE attempting a write gets 403.
 */
@ApplicationScoped
public class Access {

    /** What a request does. */
    public enum Action {
        READ("Microsoft.ContainerInstance/containerGroups/read",
                Set.of(Role.TENANT_OWNER, Role.TENANT_READER, Role.SRE)), WRITE(
                        "Microsoft.ContainerInstance/containerGroups/write",
                        Set.of(Role.TENANT_OWNER)), DELETE("Microsoft.ContainerInstance/containerGroups/delete",
                                Set.of(Role.TENANT_OWNER)), ACTION("Microsoft.ContainerInstance/containerGroups/action",
                                        Set.of(Role.TENANT_OWNER)), USAGES(
                                                "Microsoft.ContainerInstance/locations/usages/read",
                                                Set.of(Role.TENANT_OWNER, Role.TENANT_READER, Role.BILLING_READER,
                                                        Role.SRE)), LOGS(
                                                                "Microsoft.ContainerInstance/containerGroups/containers/logs/read",
                                                                Set.of(Role.TENANT_OWNER, Role.TENANT_READER)), EXEC(
                                                                        "Microsoft.ContainerInstance/containerGroups/containers/exec/action",
                                                                        // owners only: a shell in a confidential workload
                                                                        Set.of(Role.TENANT_OWNER)), DEPLOY(
                                                                                "Microsoft.Resources/deployments/write",
                                                                                Set.of(Role.TENANT_OWNER)), DEPLOYMENT_READ(
                                                                                        "Microsoft.Resources/deployments/read",
                                                                                        Set.of(Role.TENANT_OWNER,
                                                                                                Role.TENANT_READER,
                                                                                                Role.SRE));

        final String armAction;
        final Set<Role> allowed;

        Action(String armAction, Set<Role> allowed) {
            this.armAction = armAction;
            this.allowed = allowed;
        }

        boolean crossTenantForSre() {
            return this == READ || this == USAGES || this == DEPLOYMENT_READ;
        }
    }

    private final Tenancy tenancy;
    private final CurrentCaller current;
    private final Metrics metrics;

    Access(Tenancy tenancy, CurrentCaller current, Metrics metrics) {
        this.tenancy = tenancy;
        this.current = current;
        this.metrics = metrics;
    }

    /** Returns the caller if it may do {@code action} in {@code subscription}; throws a 404 or 403 otherwise. */
    public Caller check(String subscription, Action action) {
        Caller caller = current.get();
        var owner = tenancy.tenantOf(subscription);
        if (owner.isEmpty() && (action == Action.WRITE || action == Action.DEPLOY)
                && caller.has(Role.TENANT_OWNER)) {
            owner = tenancy.claim(subscription, caller.tenant());
        }
        boolean sameTenant = owner.isPresent() && owner.get().equals(caller.tenant());
        if (!sameTenant) {
            if (owner.isPresent() && caller.has(Role.SRE)) {
                if (action.crossTenantForSre()) {
                    return caller;
                }
                throw forbidden(caller, subscription, action);
            }
            if (owner.isPresent()) {
                metrics.authFailure(Metrics.AuthFailure.CROSS_TENANT);
            }
            throw new ArmError(404, CloudError.of("SubscriptionNotFound",
                    "The subscription '" + subscription + "' could not be found."));
        }
        for (Role r : caller.roles()) {
            if (action.allowed.contains(r)) {
                return caller;
            }
        }
        throw forbidden(caller, subscription, action);
    }

    /** Operator views ({@code action}, e.g. Parma.Operations/nodes/read): the SRE role, whatever the tenant. */
    public Caller requireSre(String action) {
        Caller caller = current.get();
        if (!caller.has(Role.SRE)) {
            metrics.authFailure(Metrics.AuthFailure.FORBIDDEN);
            throw new ArmError(403, CloudError.of("AuthorizationFailed", "The client '" + caller.objectId()
                    + "' does not have authorization to perform action '" + action + "'."));
        }
        return caller;
    }

    private ArmError forbidden(Caller caller, String subscription, Action action) {
        metrics.authFailure(Metrics.AuthFailure.FORBIDDEN);
        return new ArmError(403, CloudError.of("AuthorizationFailed", "The client '" + caller.objectId()
                + "' does not have authorization to perform action '" + action.armAction
                + "' over scope '/subscriptions/"
                + subscription + "' or the scope is invalid."));
    }
}
