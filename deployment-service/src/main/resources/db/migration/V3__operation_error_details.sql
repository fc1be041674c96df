-- Structured error details of a failed operation (e.g. one entry per policy pre-flight problem), JSON.
ALTER TABLE operations ADD COLUMN error_details TEXT;
