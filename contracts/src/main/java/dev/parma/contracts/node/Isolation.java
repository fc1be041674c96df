package dev.parma.contracts.node;

/** How a group is isolated on a node: the ACI SKU as the node sees it. */
public enum Isolation {
    /** Standard SKU: containers run directly on the node, no utility VM, no policy. */
    STANDARD,
    /** Confidential SKU: a utility VM on SEV-SNP with HOST_DATA = SHA-256 of the execution policy. */
    CONFIDENTIAL
}
