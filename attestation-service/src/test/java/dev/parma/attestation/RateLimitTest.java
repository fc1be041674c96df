package dev.parma.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 6: the attestation rate limit cannot be escaped by changing the source address. A budget of
 * {@link Limits#BURST} requests that never refills (one token in 10⁶ s), so each refusal is exact, not timed.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Limits.class)
@AttestationTestResources
class RateLimitTest {

    public static class Limits implements QuarkusTestProfile {
        static final int BURST = 3;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parma.attestation.limits.requests-per-second", "0.000001",
                    "parma.attestation.limits.burst", String.valueOf(BURST));
        }
    }

    static int attest(String from, String path) throws Exception {
        return RawHttp.send(InetAddress.getByName(from), RestAssured.port, "POST", path
                + "?api-version=2022-08-01", Map.of("Content-Type", "application/json"),
                "{}".getBytes(
                        StandardCharsets.UTF_8))
                .status();
    }

    @Test
    void anotherLoopbackAddressBuysNoFreshBudget() throws Exception {
        String tenant = "/tenants/limited/attest/SevSnpVm";
        for (int i = 0; i < Limits.BURST; i++) {
            assertThat(attest("127.0.0.1", tenant)).as("request %d", i).isEqualTo(400);
        }
        assertThat(attest("127.0.0.2", tenant)).as("the tenant's budget is spent").isEqualTo(429);
        assertThat(attest("127.0.0.3", "/attest/SevSnpVm")).as("and all of loopback is one source").isEqualTo(429);
        assertThat(attest("127.0.0.4", "/tenants/other/attest/SevSnpVm")).isEqualTo(429);
        // reads are not limited, and a limited caller still gets a CloudError
        var answer = RawHttp.send(InetAddress.getByName("127.0.0.5"), RestAssured.port, "POST", tenant
                + "?api-version=2022-08-01", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.body()).contains("\"TooManyRequests\"");
        assertThat(answer.headers()).containsEntry("retry-after", "1");
    }
}
