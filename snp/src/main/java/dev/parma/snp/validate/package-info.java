/**
 * Checks a verified report is the one expected (HOST_DATA, MEASUREMENT, REPORT_DATA, TCB, policy, ...).
 */
package dev.parma.snp.validate;
