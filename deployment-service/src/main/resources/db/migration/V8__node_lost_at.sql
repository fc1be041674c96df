-- When the control plane declared the node lost (its groups moved); cleared by its next heartbeat. Null: not lost.
ALTER TABLE nodes ADD COLUMN lost_at TIMESTAMPTZ;
