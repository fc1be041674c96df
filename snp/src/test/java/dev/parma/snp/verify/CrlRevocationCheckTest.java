package dev.parma.snp.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.SigningKey;
import dev.parma.snp.kds.CachingKdsClient;
import dev.parma.snp.kds.KdsRequest;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.testkit.Evidence;
import dev.parma.snp.testkit.FakeKds;
import dev.parma.snp.testkit.TestAuthorities;
import dev.parma.snp.testkit.TestCrls;
import dev.parma.snp.testkit.TestEvidence;
import dev.parma.snp.verify.VerificationException.Reason;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrlRevocationCheckTest {
    static final SimAuthority AUTH = TestAuthorities.shared(Product.MILAN);
    static final KdsRequest.Crl CRL = new KdsRequest.Crl(Product.MILAN, SigningKey.VCEK);
    static final Instant T = TestEvidence.VALID_AT;

    static ReportVerifier verifier(FakeKds kds, Evidence e) {
        return ReportVerifier.create(e.roots(), new CrlRevocationCheck(CachingKdsClient.wrap(kds)));
    }

    @Test
    void currentCrlWithoutOurIntermediatePasses() throws Exception {
        Evidence e = TestEvidence.builder(Product.MILAN).build();
        FakeKds kds = new FakeKds(AUTH).crl(CRL, TestCrls.crl(AUTH, List.of(BigInteger.valueOf(99)), T.minusSeconds(
                3600), T.plusSeconds(86400)));
        ReportVerifier v = verifier(kds, e);
        v.verify(e.report(), e.chain(), T);
        v.verify(e.report(), e.chain(), T);
        assertThat(kds.requests()).isEqualTo(1); // cached by the decorator
    }

    @Test
    void revokedAskFails() {
        Evidence e = TestEvidence.builder(Product.MILAN).build();
        FakeKds kds = new FakeKds(AUTH).crl(CRL, TestCrls.crl(AUTH, List.of(AUTH.ask().getSerialNumber()), T
                .minusSeconds(3600), T.plusSeconds(86400)));
        assertThatThrownBy(() -> verifier(kds, e).verify(e.report(), e.chain(), T)).isInstanceOfSatisfying(
                VerificationException.class, x -> assertThat(x.reason()).isEqualTo(Reason.CERTIFICATE_REVOKED))
                .hasMessageContaining("CN=SEV-Milan");
    }

    @Test
    void staleOrMissingCrlFails() {
        Evidence e = TestEvidence.builder(Product.MILAN).build();
        FakeKds stale = new FakeKds(AUTH).crl(CRL, TestCrls.crl(AUTH, List.of(), T.minusSeconds(7200), T
                .minusSeconds(3600)));
        assertThatThrownBy(() -> verifier(stale, e).verify(e.report(), e.chain(), T)).hasMessageContaining(
                "CRL_UNAVAILABLE: CRL is stale");
        assertThatThrownBy(() -> verifier(new FakeKds(AUTH), e).verify(e.report(), e.chain(), T))
                .hasMessageContaining("CRL_UNAVAILABLE").hasMessageContaining("404");
    }

    @Test
    void crlSignedByAnotherArkFails() {
        Evidence e = TestEvidence.builder(Product.MILAN).build();
        SimAuthority other = TestAuthorities.shared(Product.GENOA);
        FakeKds kds = new FakeKds(AUTH).crl(CRL, TestCrls.crl(other, List.of(), T.minusSeconds(60), T.plusSeconds(
                60)));
        assertThatThrownBy(() -> verifier(kds, e).verify(e.report(), e.chain(), T)).hasMessageContaining(
                "is not the ARK");
    }
}
