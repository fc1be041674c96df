package dev.parma.attestation.api;

import dev.parma.contracts.arm.ErrorCodes;
import dev.parma.snp.verify.VerificationException;

/**
 * The CloudError codes this service returns. They are invariant: programs branch on them; messages are for people.
 */
public final class AttestationErrors {

    /** The body is not valid JSON, not of the expected shape, or a field is not valid base64/base64url. */
    public static final String INVALID_REQUEST_CONTENT = ErrorCodes.INVALID_REQUEST_CONTENT;
    /** api-version missing or not one we serve. */
    public static final String INVALID_API_VERSION = ErrorCodes.INVALID_API_VERSION;
    /** A required property is missing. */
    public static final String MISSING_REQUIRED_PROPERTY = ErrorCodes.MISSING_REQUIRED_PROPERTY;
    /** The SnpReport does not parse (size, version, reserved fields). */
    public static final String INVALID_REPORT = "InvalidSnpReport";
    /** The VcekCertChain does not parse as PEM certificates. */
    public static final String INVALID_CERTIFICATE_CHAIN = "InvalidCertificateChain";
    /** The chain does not lead to a trusted AMD root (or a simulator root this deployment trusts). */
    public static final String UNTRUSTED_CERTIFICATE_CHAIN = "UntrustedCertificateChain";
    /** A certificate of the chain is expired or not yet valid. */
    public static final String CERTIFICATE_NOT_VALID = "CertificateNotValidNow";
    /** A certificate of the chain is revoked. */
    public static final String CERTIFICATE_REVOKED = "CertificateRevoked";
    /** The report signature does not verify with the VCEK/VLEK. */
    public static final String INVALID_REPORT_SIGNATURE = "InvalidReportSignature";
    /** The report and its certificate disagree (CHIP_ID vs hwID, TCB vs SPLs, key type, product). */
    public static final String REPORT_CERTIFICATE_MISMATCH = "ReportCertificateMismatch";
    /** The report is not signed by an ECDSA P-384 key. */
    public static final String UNSUPPORTED_REPORT = "UnsupportedSnpReport";
    /** No VCEK in the request and none could be fetched from AMD's KDS. */
    public static final String VCEK_UNAVAILABLE = "VcekUnavailable";
    /** SHA-256(runtimeData) is not REPORT_DATA[0..32]. */
    public static final String RUNTIME_DATA_MISMATCH = "RuntimeDataMismatch";
    /** SHA-256(initTimeData) is not HOST_DATA. */
    public static final String INIT_TIME_DATA_MISMATCH = "InitTimeDataMismatch";
    /** runtimeData or initTimeData declared JSON is not a JSON object. */
    public static final String INVALID_DATA = "InvalidRuntimeOrInitTimeData";
    /** A UVM endorsement is not a COSE_Sign1 of the expected shape (or uses an algorithm we do not verify). */
    public static final String INVALID_UVM_ENDORSEMENT = "InvalidUvmEndorsement";
    /** A UVM endorsement's x5chain reaches no trusted endorsement signer, or its did:x509 issuer does not match. */
    public static final String UNTRUSTED_UVM_ENDORSEMENT = "UntrustedUvmEndorsement";
    /** A certificate of a UVM endorsement's x5chain is not valid at its signing time. */
    public static final String UVM_ENDORSEMENT_NOT_VALID = "UvmEndorsementCertificateNotValid";
    /** A UVM endorsement's signature does not verify with its signer's key. */
    public static final String INVALID_UVM_ENDORSEMENT_SIGNATURE = "InvalidUvmEndorsementSignature";
    /** A valid UVM endorsement endorses another launch measurement than the report's MEASUREMENT. */
    public static final String UVM_ENDORSEMENT_MISMATCH = "UvmEndorsementMeasurementMismatch";
    /** The attestation policy does not authorize this evidence. */
    public static final String POLICY_DENIED = "AttestationPolicyDenied";
    /** A policy text does not parse. */
    public static final String INVALID_POLICY = "InvalidAttestationPolicy";
    /** The body is larger than we read. */
    public static final String REQUEST_TOO_LARGE = "RequestEntityTooLarge";
    /** The caller sent too many requests. */
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    /** The resource does not exist. */
    public static final String NOT_FOUND = ErrorCodes.RESOURCE_NOT_FOUND;
    /** The key release target is not a token we issued and can verify now. */
    public static final String INVALID_TOKEN = "InvalidAttestationToken";
    /** The token's claims do not satisfy the key's release policy. */
    public static final String RELEASE_POLICY_NOT_SATISFIED = "ReleasePolicyNotSatisfied";
    /** A key release policy is not valid. */
    public static final String INVALID_RELEASE_POLICY = "InvalidReleasePolicy";
    /** The token carries no RSA key (x-ms-runtime.keys) to wrap the released key to. */
    public static final String NO_WRAPPING_KEY = "NoWrappingKey";
    /** Something failed on our side. */
    public static final String INTERNAL = ErrorCodes.INTERNAL_SERVER_ERROR;

    private AttestationErrors() {
    }

    /** The code for a verification failure of the snp library. */
    public static String of(VerificationException.Reason reason) {
        return switch (reason) {
            case MALFORMED_REPORT -> INVALID_REPORT;
            case MALFORMED_CERTIFICATE -> INVALID_CERTIFICATE_CHAIN;
            case UNSIGNED_REPORT, UNSUPPORTED_SIGNATURE_ALGO -> UNSUPPORTED_REPORT;
            case UNTRUSTED_CHAIN -> UNTRUSTED_CERTIFICATE_CHAIN;
            case CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID -> CERTIFICATE_NOT_VALID;
            case CERTIFICATE_REVOKED, CRL_UNAVAILABLE -> CERTIFICATE_REVOKED;
            case KEY_TYPE_MISMATCH, PRODUCT_MISMATCH, HWID_MISMATCH, TCB_MISMATCH -> REPORT_CERTIFICATE_MISMATCH;
            case BAD_SIGNATURE -> INVALID_REPORT_SIGNATURE;
        };
    }
}
