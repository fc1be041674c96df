-- Token signing keys. The private key is PKCS#8, sealed with AES-256-GCM under the master key (AAD: 'signing-key:' || kid).
CREATE TABLE signing_keys (
    kid          TEXT PRIMARY KEY,
    created_at   TIMESTAMPTZ NOT NULL,
    retired_at   TIMESTAMPTZ,
    certificate  BYTEA NOT NULL,
    private_key  BYTEA NOT NULL
);

-- Attestation policies, versioned per tenant ('' is the provider instance) and attestation type.
CREATE TABLE attestation_policies (
    tenant            TEXT NOT NULL,
    attestation_type  TEXT NOT NULL,
    version           INT NOT NULL,
    policy_text       TEXT NOT NULL,
    policy_hash       TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, attestation_type, version)
);

-- Endorsed UVM launch measurements (reference values).
CREATE TABLE reference_measurements (
    launch_measurement  TEXT PRIMARY KEY,
    svn                 INT NOT NULL,
    source              TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL
);

-- Tenant keys for secure key release. key_material is sealed under the master key (AAD: 'release-key:' || tenant || '/' || name || '/' || version).
CREATE TABLE release_keys (
    tenant          TEXT NOT NULL,
    name            TEXT NOT NULL,
    version         INT NOT NULL,
    kty             TEXT NOT NULL,
    key_material    BYTEA NOT NULL,
    release_policy  TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, name, version)
);
