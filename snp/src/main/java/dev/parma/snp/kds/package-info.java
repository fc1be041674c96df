/**
 * AMD Key Distribution Service: VCEK/VLEK certificate extensions, KDS URLs, and the {@link dev.parma.snp.kds.KdsClient} seam (offline by default).
 */
package dev.parma.snp.kds;
