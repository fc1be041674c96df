package dev.parma.policy.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import dev.parma.policy.Require;

/**
 * SNP {@code HOST_DATA} for a policy: SHA-256 over the exact decoded policy bytes, no normalisation. One changed byte
 * (a trailing newline, CRLF, key order) is a different measurement, so never hash re-serialised text.
 */
public final class HostData {

    public static final int SIZE = 32;

    private final byte[] digest;

    private HostData(byte[] digest) {
        this.digest = digest;
    }

    /** Digest of the decoded policy bytes. */
    public static HostData ofPolicyBytes(byte[] decodedPolicy) {
        Require.nonNull(decodedPolicy, "decodedPolicy");
        return new HostData(sha256(decodedPolicy));
    }

    /** Digest of policy text encoded as UTF-8 (what confcom base64-encodes). */
    public static HostData ofPolicyText(String policyText) {
        Require.nonNull(policyText, "policyText");
        return ofPolicyBytes(policyText.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Digest of a policy as carried in ARM's {@code ccePolicy}: standard base64 with padding, decoded first. Hashing
     * the base64 string itself is the classic mistake this method exists to prevent.
     */
    public static HostData ofBase64Policy(String base64) {
        return ofPolicyBytes(decodeBase64(base64));
    }

    /** Wraps 32 raw bytes, e.g. from an attestation report. */
    public static HostData ofDigest(byte[] raw) {
        Require.nonNull(raw, "raw");
        if (raw.length != SIZE) {
            throw new IllegalArgumentException("HOST_DATA must be " + SIZE + " bytes, got " + raw.length);
        }
        return new HostData(raw.clone());
    }

    /** Parses 64 hex characters (either case). */
    public static HostData ofHex(String hex) {
        Require.nonNull(hex, "hex");
        if (hex.length() != SIZE * 2) {
            throw new IllegalArgumentException("HOST_DATA hex must be 64 characters, got " + hex.length());
        }
        try {
            return new HostData(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HOST_DATA hex is not hexadecimal: " + e.getMessage(), e);
        }
    }

    /** Standard-alphabet base64 decode with a precise error (the guest uses Go's StdEncoding). */
    public static byte[] decodeBase64(String base64) {
        Require.nonNull(base64, "base64");
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("policy is not valid standard base64: " + e.getMessage(), e);
        }
    }

    public byte[] bytes() {
        return digest.clone();
    }

    /** Lowercase hex, the form used in key-release policies ({@code x-ms-sevsnpvm-hostdata}). */
    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    /** Base64 of the digest, the form hcsshim passes as LaunchData. */
    public String base64() {
        return Base64.getEncoder().encodeToString(digest);
    }

    /** Constant-time comparison against raw report bytes. */
    public boolean matches(byte[] reportHostData) {
        return reportHostData != null && MessageDigest.isEqual(digest, reportHostData);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostData h && Arrays.equals(digest, h.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return hex();
    }
}
