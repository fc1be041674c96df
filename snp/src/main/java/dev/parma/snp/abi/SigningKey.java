package dev.parma.snp.abi;

/** SIGNING_KEY (signer info bits 4:2): which key signed the report. Values 2..6 are reserved. */
public enum SigningKey {
    /** Versioned Chip Endorsement Key, derived per chip and TCB. */
    VCEK(0),
    /** Versioned Loaded Endorsement Key, provisioned by a cloud provider; not bound to a chip. */
    VLEK(1),
    /** The report is unsigned. */
    NONE(7);

    private final int code;

    SigningKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SigningKey fromCode(int code) {
        for (SigningKey k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new AbiException("SIGNING_KEY", "reserved value " + code + " (allowed: 0 VCEK, 1 VLEK, 7 none)");
    }
}
