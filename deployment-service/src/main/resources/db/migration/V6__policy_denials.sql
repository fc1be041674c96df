-- Policy denials, kept after their group is deleted (a security signal) until the retention purge.
-- id is the idempotency key: a node event id (and the event's index in it) or the group's id and generation
-- for pre-flight, so a redelivered event adds nothing. It is also the id of the published CloudEvent.
CREATE TABLE policy_denials (
    id                VARCHAR(200) PRIMARY KEY,
    denied_at         TIMESTAMPTZ  NOT NULL,
    subscription_id   VARCHAR(64)  NOT NULL,
    resource_id       VARCHAR(512) NOT NULL,
    group_id          VARCHAR(36)  NOT NULL,
    container         VARCHAR(63),
    enforcement_point VARCHAR(32)  NOT NULL,  -- preflight, mount_device, create_container, exec_in_container, …
    reason            TEXT         NOT NULL,
    source            VARCHAR(16)  NOT NULL,  -- preflight (control plane) or guest (reported by a node)
    node_id           VARCHAR(63)
);
-- Newest first (the SRE overview) and the purge of old rows.
CREATE INDEX policy_denials_time_idx ON policy_denials (denied_at DESC);
-- One subscription's denials, newest first.
CREATE INDEX policy_denials_subscription_idx ON policy_denials (subscription_id, denied_at DESC);
