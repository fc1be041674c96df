-- Template deployments (Microsoft.Resources/deployments), one row per name in a resource group; a re-deployment
-- replaces its row. Keys are lower-cased (ARM names are case-insensitive); id keeps the tenant's spelling.
-- Parameters and outputs are stored as shown to tenants: secure ones with their type only, never a value.
-- A run in progress (Accepted, Running) holds a lease: its gateway renews heartbeat_at; a row whose lease ran
-- out is ended Failed (DeploymentInterrupted) by any gateway (TemplateDeployments).
CREATE TABLE template_deployments (
    subscription      TEXT NOT NULL,
    resource_group    TEXT NOT NULL,
    name              TEXT NOT NULL,
    id                TEXT NOT NULL,
    mode              TEXT NOT NULL,
    operation_id      TEXT NOT NULL,
    correlation_id    TEXT NOT NULL,
    state             TEXT NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    ended_at          TIMESTAMPTZ,
    parameters        JSON NOT NULL,
    dependencies      JSON NOT NULL,
    output_resources  TEXT[] NOT NULL DEFAULT '{}',
    outputs           JSON,
    error             JSON,
    heartbeat_at      TIMESTAMPTZ,
    PRIMARY KEY (subscription, resource_group, name)
);
CREATE INDEX template_deployments_in_progress ON template_deployments (heartbeat_at)
    WHERE state IN ('Accepted', 'Running');

-- Creates and deletes counted per subscription, region and second (epoch), shared by every gateway instance:
-- WriteLimiter checks and counts a write in one statement. Rows older than the longest window are purged.
CREATE TABLE write_counts (
    subscription  TEXT NOT NULL,
    region        TEXT NOT NULL,
    second        BIGINT NOT NULL,
    writes        INT NOT NULL,
    PRIMARY KEY (subscription, region, second)
);
CREATE INDEX write_counts_age ON write_counts (second);

-- Subscriptions given to the first tenant owner who wrote into them (parma.tenancy.auto-register: local runs and
-- tests). Configured owners (parma.tenancy.subscriptions) are not stored here and take precedence.
CREATE TABLE subscription_owners (
    subscription   TEXT PRIMARY KEY,
    tenant         TEXT NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
