package dev.parma.gateway;

import dev.parma.testsupport.PostgresDatabases;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** Databases with the gateway's schema for tests that run without Quarkus (the migrations Quarkus would run). */
public final class TestDatabases {

    /** The URL each database was created at (its name carries this build's PARMA_TEST_DB_SUFFIX). */
    private static final Map<String, String> URLS = new ConcurrentHashMap<>();

    private TestDatabases() {
    }

    /** Creates {@code name} empty and migrates it; returns a data source for it. */
    public static DataSource migrated(String name) {
        String url = PostgresDatabases.recreate(name);
        URLS.put(name, url);
        Flyway.configure().dataSource(url, PostgresDatabases.USER, PostgresDatabases.PASSWORD)
                .locations("classpath:db/migration").load().migrate();
        return connect(name);
    }

    /**
     * A new data source for the existing {@code name}: nothing shared with earlier ones, as after a restart or in
     * another gateway instance.
     */
    public static DataSource connect(String name) {
        var ds = new PGSimpleDataSource();
        ds.setURL(URLS.getOrDefault(name, PostgresDatabases.jdbcUrl(name)));
        ds.setUser(PostgresDatabases.USER);
        ds.setPassword(PostgresDatabases.PASSWORD);
        return ds;
    }
}
