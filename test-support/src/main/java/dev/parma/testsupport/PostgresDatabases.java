package dev.parma.testsupport;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Each service tests against its own database on the local PostgreSQL server (127.0.0.1:5432), created if
 * missing. The role comes from PARMA_DB_USER / PARMA_DB_PASSWORD (default parma/parma), which .ci/run and the
 * run script create.
 */
public final class PostgresDatabases {

    public static final String HOST = System.getenv().getOrDefault("PARMA_DB_HOST", "127.0.0.1:5432");
    public static final String USER = System.getenv().getOrDefault("PARMA_DB_USER", "parma");
    public static final String PASSWORD = System.getenv().getOrDefault("PARMA_DB_PASSWORD", "parma");
    /** Appended to every test database name, so two builds on one machine never clean each other's data. */
    private static final String SUFFIX = System.getenv().getOrDefault("PARMA_TEST_DB_SUFFIX", "");

    private PostgresDatabases() {
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + "/" + database;
    }

    /** Drops {@code database} (closing its connections) and creates it empty; returns its JDBC URL. */
    public static String recreate(String database) {
        database = checkName(database + SUFFIX);
        try (var c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw unusable(e);
        }
        return jdbcUrl(database);
    }

    /** Creates {@code database} owned by the test role unless it exists; returns its JDBC URL. */
    public static String ensure(String database) {
        database = checkName(database + SUFFIX);
        try (var c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                var check = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            check.setString(1, database);
            try (var rs = check.executeQuery()) {
                if (!rs.next()) {
                    try (var create = c.createStatement()) {
                        create.execute("CREATE DATABASE " + database);
                    }
                }
            }
        } catch (SQLException e) {
            throw unusable(e);
        }
        return jdbcUrl(database);
    }

    private static String checkName(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        return database;
    }

    private static IllegalStateException unusable(SQLException e) {
        return new IllegalStateException("PostgreSQL at " + HOST + " is not usable as role '" + USER
                + "' (run scripts/db-setup.sh once to create it): " + e.getMessage(), e);
    }
}
