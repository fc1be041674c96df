package dev.parma.deployment.group;

/** ARM provisioningState of a container group. Succeeded, Failed and Canceled are terminal. */
public enum ProvisioningState {
    Pending, Creating, Updating, Succeeded, Failed, Canceled, Deleting, Repairing, Unhealthy;

    public boolean terminal() {
        return this == Succeeded || this == Failed || this == Canceled;
    }
}
