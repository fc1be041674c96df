-- Recent refused attestations for operators (the SRE page): when, the HTTP status and CloudError code, the tenant
-- from the path (NULL: the provider instance) and the caller's address. Never the request body. Only the newest
-- rows are kept (RecentFailures.KEEP).
CREATE TABLE attestation_failures (
    id      BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL,
    status  INT NOT NULL,
    code    TEXT NOT NULL,
    tenant  TEXT,
    caller  TEXT
);
