-- Each service owns its database (the deployment database is POSTGRES_DB).
CREATE DATABASE parma_attestation OWNER parma;
CREATE DATABASE parma_gateway OWNER parma;
