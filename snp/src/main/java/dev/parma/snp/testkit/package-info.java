/**
 * Builders for signed evidence with overrides, a fake KDS, CRLs and synthetic OVMF images, for tests in any module.
 */
package dev.parma.snp.testkit;
