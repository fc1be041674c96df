/**
 * The one home of every message that crosses a process boundary: Kafka commands and events between the
 * control plane and nodes, and the ARM error envelope shared by the HTTP services. Services depend on this
 * module and never copy these types.
 */
package dev.parma.contracts;
