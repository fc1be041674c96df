-- The source each refused attestation is charged to (abuse/CallerKeys: all of loopback is one source, IPv6 by /64),
-- so the list keeps at most RecentFailures.PER_SOURCE rows per source and one caller cannot flush everyone else's.
ALTER TABLE attestation_failures ADD COLUMN source_key TEXT;
CREATE INDEX attestation_failures_by_source ON attestation_failures (source_key, id);
