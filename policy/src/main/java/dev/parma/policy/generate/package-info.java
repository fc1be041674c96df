/** Policy generation in confcom's form, and the versioned platform contract of what the platform injects. */
package dev.parma.policy.generate;
