/** Parser for the generated-policy subset of Rego, and a JSON writer. Arguments and results are non-null. */
package dev.parma.policy.rego;
