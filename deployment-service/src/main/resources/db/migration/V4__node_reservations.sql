-- What the control plane has reserved on each node (sum of the requests of the groups placed there), kept in the
-- same transaction as every placement and removal, so placement is one indexed query instead of a sum per node.
ALTER TABLE nodes ADD COLUMN cpu_reserved DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN memory_reserved DOUBLE PRECISION NOT NULL DEFAULT 0;
UPDATE nodes n SET cpu_reserved = r.cpu, memory_reserved = r.mem
FROM (SELECT node_id, sum(requested_cpu) AS cpu, sum(requested_memory) AS mem
      FROM container_groups WHERE node_id IS NOT NULL GROUP BY node_id) r
WHERE n.id = r.node_id;
