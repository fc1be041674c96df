/** The immutable execution-policy model and its decoders (Rego, legacy JSON). Non-null unless Optional. */
package dev.parma.policy.model;
