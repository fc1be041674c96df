/**
 * Launch digest (MEASUREMENT) calculator: PAGE_INFO chain, OVMF metadata, SEV hashes table, VMSA pages.
 */
package dev.parma.snp.measure;
