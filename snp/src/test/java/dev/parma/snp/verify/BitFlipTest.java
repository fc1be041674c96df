package dev.parma.snp.verify;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parma.snp.abi.ReportLayout;
import dev.parma.snp.trust.RootStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flipping any single bit of the signed region (0x000..0x29F) of a real report makes verification fail. */
class BitFlipTest {

    @Test
    void everySingleBitFlipOfTheSignedRegionFails() throws Exception {
        ReportVerifier verifier = ReportVerifier.create(RootStore.amd());
        CertificateChain chain = pemChain("gcp-milan-v5/vcek.pem");
        byte[] original = bytes("gcp-milan-v5/report.bin");
        verifier.verify(original, chain, NOW); // sanity: the untouched report verifies

        List<Integer> accepted = new ArrayList<>();
        Map<VerificationException.Reason, Integer> reasons = new EnumMap<>(VerificationException.Reason.class);
        byte[] flipped = original.clone();
        for (int bit = 0; bit < ReportLayout.SIGNED_SIZE * 8; bit++) {
            flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                verifier.verify(flipped, chain, NOW);
                accepted.add(bit);
            } catch (VerificationException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            }
            flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        assertThat(accepted).as("bits whose flip still verified").isEmpty();
        assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(0x2A0 * 8);
        // Most flips reach the signature check; the others are caught earlier by the ABI or binding checks.
        assertThat(reasons).containsKeys(VerificationException.Reason.BAD_SIGNATURE,
                VerificationException.Reason.MALFORMED_REPORT, VerificationException.Reason.HWID_MISMATCH,
                VerificationException.Reason.TCB_MISMATCH);
    }
}
