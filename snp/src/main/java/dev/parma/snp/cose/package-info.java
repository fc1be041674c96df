/**
 * COSE for UVM endorsements: a strict CBOR codec ({@link dev.parma.snp.cose.Cbor}), COSE_Sign1 parsing, signing
 * and verification ({@link dev.parma.snp.cose.CoseSign1}) and did:x509 issuer checks. No dependency beyond the JDK.
 */
package dev.parma.snp.cose;
