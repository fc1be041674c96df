-- The lifecycle state (GroupPhase) replaces the stored provisioningState, which is derived from it.
ALTER TABLE container_groups ADD COLUMN phase VARCHAR(16);
UPDATE container_groups SET phase = provisioning_state;
ALTER TABLE container_groups ALTER COLUMN phase SET NOT NULL;
ALTER TABLE container_groups DROP COLUMN provisioning_state;
-- When the current provisioning attempt began (for the 30-minute timeout).
ALTER TABLE container_groups ADD COLUMN phase_since TIMESTAMPTZ;
-- Start of the usage not yet billed; null while the group is not billed (not running, stopped, deleted).
ALTER TABLE container_groups ADD COLUMN billing_since TIMESTAMPTZ;
CREATE INDEX container_groups_phase_idx ON container_groups (phase);
CREATE INDEX container_groups_billing_idx ON container_groups (billing_since) WHERE billing_since IS NOT NULL;
CREATE INDEX container_groups_list_idx ON container_groups (subscription_id, resource_group_key, name);

-- Quota counters per subscription, region and quota name; reserved atomically with the group.
CREATE TABLE quota_usage (
    subscription_id VARCHAR(64) NOT NULL,
    location        VARCHAR(64) NOT NULL,
    quota_name      VARCHAR(64) NOT NULL,
    usage           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (subscription_id, location, quota_name)
);

-- Admin overrides of the configured default limits.
CREATE TABLE quota_limits (
    subscription_id VARCHAR(64) NOT NULL,
    location        VARCHAR(64) NOT NULL,
    quota_name      VARCHAR(64) NOT NULL,
    limit_value     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (subscription_id, location, quota_name)
);

-- Node inventory: what the node says it uses, whether its secure processor is simulated, its TCB.
ALTER TABLE nodes ADD COLUMN simulated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE nodes ADD COLUMN tcb VARCHAR(16);
ALTER TABLE nodes ADD COLUMN cpu_used DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN memory_used DOUBLE PRECISION NOT NULL DEFAULT 0;
CREATE INDEX nodes_last_seen_idx ON nodes (last_seen);
