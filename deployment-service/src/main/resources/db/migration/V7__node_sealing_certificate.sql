-- The certificate a node's secrets are sealed to (PEM, verified against the platform CA before it is stored).
-- Nothing is placed on a node without one.
ALTER TABLE nodes ADD COLUMN sealing_certificate TEXT;
