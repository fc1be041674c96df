-- The node agent's HTTP base URL from its heartbeat (container logs are read there).
ALTER TABLE nodes ADD COLUMN endpoint VARCHAR(255);
