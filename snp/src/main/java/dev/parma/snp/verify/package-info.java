/**
 * Proves a report comes from AMD hardware: signature, certificate chain to a pinned ARK, hwID and TCB bindings.
 */
package dev.parma.snp.verify;
