/** Reference values: endorsed UVM launch measurements that make a guest compliant. */
package dev.parma.attestation.reference;
