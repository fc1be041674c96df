package dev.parma.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at its own database on the local PostgreSQL server, creating it if missing.
 * The database name comes from the init arg {@code database}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        if (database == null) {
            throw new IllegalArgumentException("PostgresResource needs the init arg 'database'");
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", PostgresDatabases.ensure(database),
                "quarkus.datasource.username", PostgresDatabases.USER,
                "quarkus.datasource.password", PostgresDatabases.PASSWORD);
    }

    @Override
    public void stop() {
        // the database stays: Flyway cleans it at the next test start
    }
}
