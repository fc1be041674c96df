package dev.parma.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.gateway.TestDatabases;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auto-registered subscription owners outlive the gateway and are the same for every instance. */
class TenancyTest {

    static final String DATABASE = "parma_gateway_tenancy_test";

    @BeforeEach
    void freshDatabase() {
        TestDatabases.migrated(DATABASE);
    }

    /** Tenancy as a newly started gateway has it: its own connections, nothing in memory. */
    static Tenancy gateway(boolean autoRegister) {
        var t = new Tenancy();
        t.configured = Optional.of(List.of("configured-sub:tenant-c"));
        t.autoRegister = autoRegister;
        t.db = TestDatabases.connect(DATABASE);
        t.init();
        return t;
    }

    @Test
    void theFirstOwnerKeepsTheSubscriptionAcrossRestartsAndInstances() {
        assertThat(gateway(true).claim("Sub-1", "tenant-a")).contains("tenant-a");

        var restarted = gateway(true);
        assertThat(restarted.tenantOf("sub-1")).contains("tenant-a");
        assertThat(gateway(true).claim("SUB-1", "tenant-b")).as("another instance, a later claim").contains(
                "tenant-a");
        assertThat(restarted.tenantOf("configured-sub")).contains("tenant-c");
        assertThat(restarted.claim("configured-sub", "tenant-a")).as("configuration wins").contains("tenant-c");
        assertThat(restarted.tenantOf("sub-2")).isEmpty();
    }

    @Test
    void withoutAutoRegistrationOnlyConfiguredOwnersCount() {
        gateway(true).claim("sub-1", "tenant-a");
        var strict = gateway(false);
        assertThat(strict.claim("sub-2", "tenant-a")).isEmpty();
        assertThat(strict.tenantOf("sub-1")).isEmpty();
        assertThat(strict.tenantOf("configured-sub")).contains("tenant-c");
    }
}
