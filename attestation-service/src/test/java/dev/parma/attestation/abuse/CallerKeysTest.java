package dev.parma.attestation.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerKeysTest {

    @Test
    void everyLoopbackAddressIsOneSource() {
        assertThat(CallerKeys.source("127.0.0.1")).isEqualTo(CallerKeys.source("127.0.0.2")).isEqualTo(CallerKeys
                .source("127.255.3.9")).isEqualTo(CallerKeys.source("::1")).isEqualTo(CallerKeys.source(
                        "0:0:0:0:0:0:0:1"));
    }

    @Test
    void anIpv6SourceIsItsSlash64() {
        assertThat(CallerKeys.source("2001:db8:1:2::1")).isEqualTo(CallerKeys.source("2001:db8:1:2:ffff::9"));
        assertThat(CallerKeys.source("2001:db8:1:2::1")).isNotEqualTo(CallerKeys.source("2001:db8:1:3::1"));
        assertThat(CallerKeys.source("::ffff:10.1.2.3")).isEqualTo(CallerKeys.source("10.1.2.3"));
        assertThat(CallerKeys.source("10.1.2.3")).isNotEqualTo(CallerKeys.source("10.1.2.4"));
    }

    @Test
    void whatIsNotAnAddressIsOneUnknownSourceAndNeverLookedUp() {
        assertThat(CallerKeys.source(null)).isEqualTo("source:unknown");
        assertThat(CallerKeys.source("example.org")).isEqualTo("source:unknown");
        assertThat(CallerKeys.source("/run/parma.sock")).isEqualTo("source:unknown");
    }

    @Test
    void theTenantOfAPathIsAValidTenantName() {
        assertThat(CallerKeys.tenantOf("/tenants/t-1/attest/SevSnpVm")).contains("t-1");
        assertThat(CallerKeys.tenantOf("/tenants/t-1")).contains("t-1");
        assertThat(CallerKeys.tenantOf("/tenants/T_1/attest/SevSnpVm")).isEmpty();
        assertThat(CallerKeys.tenantOf("/attest/SevSnpVm")).isEmpty();
    }
}
