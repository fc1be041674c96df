/**
 * The enforcement engine: the enforcement-point manifest, one request record per point, one evaluation path, decisions
 * with pending state changes, structured denials. Deny by default.
 */
package dev.parma.policy.engine;
