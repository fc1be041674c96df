package dev.parma.deployment.quota;

import dev.parma.deployment.config.DeploymentConfig;

/** The quota counters, per subscription and region, named as ACI's usages endpoint names them. */
public enum QuotaName {
    StandardCores("Standard Cores"), StandardContainerGroups("Standard Container Groups"), ConfidentialCores(
            "Confidential Cores"), ConfidentialContainerGroups("Confidential Container Groups");

    private final String localizedName;

    QuotaName(String localizedName) {
        this.localizedName = localizedName;
    }

    public String localizedName() {
        return localizedName;
    }

    public double defaultLimit(DeploymentConfig.Quota q) {
        return switch (this) {
            case StandardCores -> q.standardCores();
            case StandardContainerGroups -> q.standardContainerGroups();
            case ConfidentialCores -> q.confidentialCores();
            case ConfidentialContainerGroups -> q.confidentialContainerGroups();
        };
    }

    public static QuotaName cores(String sku) {
        return "Confidential".equals(sku) ? ConfidentialCores : StandardCores;
    }

    public static QuotaName groups(String sku) {
        return "Confidential".equals(sku) ? ConfidentialContainerGroups : StandardContainerGroups;
    }
}
