/** HOST_DATA: the SHA-256 of the exact decoded policy bytes that SNP binds into the launch. */
package dev.parma.policy.digest;
