package dev.parma.snp.verify;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.trust.RootStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Flipping any single bit of the signed region (0x000..0x29F) of a real report makes verification fail, through the
 * real {@link ReportVerifier} path (the chain is verified once and cached, as in production).
 */
class BitFlipTest {
    static final ReportVerifier VERIFIER = ReportVerifier.create(RootStore.amd());

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "gcp-milan-v5/report.bin, gcp-milan-v5/vcek.pem, false",
            "aci-milan-v2/report.bin, aci-milan-v2/vcek_ask_ark.pem, false",
            "aws-milan-vlek-v3/report.bin, aws-milan-vlek-v3/vlek.der, true"})
    void everySingleBitFlipOfTheSignedRegionFails(String report, String chainFile, boolean vlek) throws Exception {
        CertificateChain chain = chainFile.endsWith(".der") ? derLeaf(chainFile) : pemChain(chainFile);
        Instant at = vlek ? AWS_TIME : NOW;
        byte[] original = bytes(report);
        VERIFIER.verify(original, chain, at); // the untouched report verifies

        List<Integer> accepted = new ArrayList<>();
        Map<VerificationException.Reason, Integer> reasons = new EnumMap<>(VerificationException.Reason.class);
        byte[] flipped = original.clone();
        for (int bit = 0; bit < ReportLayout.SIGNED_SIZE * 8; bit++) {
            flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                VERIFIER.verify(flipped, chain, at);
                accepted.add(bit);
            } catch (VerificationException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            }
            flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        assertThat(accepted).as("bits whose flip still verified").isEmpty();
        assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(0x2A0 * 8);
        // most flips reach the signature check; the rest are caught earlier by the ABI or binding checks
        assertThat(reasons).containsKeys(VerificationException.Reason.BAD_SIGNATURE,
                VerificationException.Reason.MALFORMED_REPORT, VerificationException.Reason.TCB_MISMATCH);
        assertThat(reasons.containsKey(VerificationException.Reason.HWID_MISMATCH)).isEqualTo(!vlek);
    }
}
