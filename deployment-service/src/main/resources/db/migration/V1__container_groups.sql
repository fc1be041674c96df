-- Container groups: the book of record. spec holds the normalized ARM properties the tenant sent.
CREATE TABLE container_groups (
    id                 VARCHAR(36) PRIMARY KEY,
    subscription_id    VARCHAR(64)  NOT NULL,
    resource_group     VARCHAR(90)  NOT NULL,  -- as first written (ARM keeps the caller's casing)
    resource_group_key VARCHAR(90)  NOT NULL,  -- lowercase: resource-group names are case-insensitive
    name               VARCHAR(63)  NOT NULL,
    location           VARCHAR(64)  NOT NULL,
    sku                VARCHAR(16)  NOT NULL,
    spec               TEXT         NOT NULL,
    tags               TEXT,
    host_data          VARCHAR(64),
    provisioning_state VARCHAR(16)  NOT NULL,
    instance_view      TEXT,
    node_id            VARCHAR(63),
    generation         BIGINT       NOT NULL,
    requested_cpu      DOUBLE PRECISION NOT NULL,
    requested_memory   DOUBLE PRECISION NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    CONSTRAINT container_groups_name_uq UNIQUE (subscription_id, resource_group_key, name)
);
CREATE INDEX container_groups_node_idx ON container_groups (node_id);
CREATE INDEX container_groups_state_idx ON container_groups (provisioning_state);

-- ARM asynchronous operations (Azure-AsyncOperation targets).
CREATE TABLE operations (
    id              VARCHAR(36) PRIMARY KEY,
    group_id        VARCHAR(36)  NOT NULL,
    resource_id     VARCHAR(512) NOT NULL,
    subscription_id VARCHAR(64)  NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    error_code      VARCHAR(64),
    error_message   TEXT,
    start_time      TIMESTAMPTZ  NOT NULL,
    end_time        TIMESTAMPTZ
);
CREATE INDEX operations_group_idx ON operations (group_id, status);

-- Transactional outbox: written with the state change, published by the relay, then marked sent.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    topic      VARCHAR(255) NOT NULL,
    msg_key    VARCHAR(255) NOT NULL,
    payload    TEXT         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    sent_at    TIMESTAMPTZ
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

-- Node inventory from heartbeats.
CREATE TABLE nodes (
    id              VARCHAR(63) PRIMARY KEY,
    driver          VARCHAR(16)      NOT NULL,
    snp             BOOLEAN          NOT NULL,
    cpu_capacity    DOUBLE PRECISION NOT NULL,
    memory_capacity DOUBLE PRECISION NOT NULL,
    last_seen       TIMESTAMPTZ      NOT NULL
);

-- Node events already applied: consumers are idempotent by event id.
CREATE TABLE processed_events (
    event_id     VARCHAR(64) PRIMARY KEY,
    processed_at TIMESTAMPTZ NOT NULL
);
