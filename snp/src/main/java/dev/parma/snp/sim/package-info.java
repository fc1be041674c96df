/**
 * A software AMD secure processor: its own ARK/ASK/VCEK in AMD's X.509 shape, guest launch and signed reports.
 */
package dev.parma.snp.sim;
