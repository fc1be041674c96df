/** dm-verity root hashes of layer images, identical to veritysetup. */
package dev.parma.policy.verity;
