/**
 * A small, plain model of a container group as a tenant describes it (the deployment service maps its ACI resource
 * into this), and of the image data a generator needs. Input to {@code generate} and {@code preflight}.
 */
package dev.parma.policy.spec;
