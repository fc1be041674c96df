package dev.parma.attestation.evidence;

import java.util.List;
import java.util.Optional;

/**
 * A decoded MAA {@code AttestSevSnpVmRequest}.
 *
 * @param report the 1184-byte SnpReport (not yet parsed)
 * @param certificateChain the VcekCertChain PEM text (VCEK, ASK, ARK), absent when the VCEK must be fetched
 * @param uvmEndorsements the COSE_Sign1 documents of {@code Endorsements.Uvm}, in order (usually one or none)
 * @param runtimeData bound to REPORT_DATA[0..32]
 * @param initTimeData bound to HOST_DATA
 * @param nonce echoed in the token
 * @param draftPolicy a policy to evaluate instead of the stored one; the token is then unsigned
 */
public record AttestRequest(byte[] report, Optional<String> certificateChain, List<byte[]> uvmEndorsements,
        Optional<BoundData> runtimeData,
        Optional<BoundData> initTimeData, Optional<String> nonce, Optional<String> draftPolicy) {

    /** The kinds of data MAA binds. */
    public enum DataType {
        BINARY, JSON
    }

    /** runtimeData or initTimeData: the exact bytes and how to read them. */
    public record BoundData(byte[] bytes, DataType type) {
    }
}
