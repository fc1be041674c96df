package dev.parma.node.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.StartGroup;
import dev.parma.contracts.node.WorkloadSecrets;
import dev.parma.identity.Credentials;
import dev.parma.identity.IdentityDir;
import dev.parma.identity.Pem;
import dev.parma.identity.Principal;
import dev.parma.node.config.NodeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This node's platform identity: the sealing key its secrets arrive sealed to, whose certificate its heartbeats
 * announce. Refuses to start with an identity that is not this node's.
 */
@ApplicationScoped
public class NodeIdentity {

    private final Credentials sealing;

    NodeIdentity(NodeConfig config, @ConfigProperty(name = "parma.identity.dir") String identityDir) {
        var dir = new IdentityDir(Path.of(identityDir));
        this.sealing = dir.sealing().orElseThrow(() -> new IllegalStateException(
                "the identity in " + identityDir + " has no sealing key: enrol this node with its own identity"));
        var expected = Principal.node(config.id());
        if (!sealing.principal().equals(expected) || !dir.tls().principal().equals(expected)) {
            throw new IllegalStateException("the identity in " + identityDir + " is "
                    + dir.tls().principal().commonName() + ", not " + expected.commonName());
        }
    }

    String sealingCertificatePem() {
        return Pem.encode(sealing.chain());
    }

    /**
     * {@code command} with its sealed secrets put back into the workload, in memory only: the box stays with it, and
     * what goes to disk is {@link StartGroup#forDisk()}. Throws for a box that is not this node's or not bound to
     * this command. Opening an opened command again is harmless.
     */
    public StartGroup open(StartGroup command) {
        if (command.sealedSecrets() == null) {
            return command;
        }
        byte[] plain = dev.parma.identity.SealedBox.open(command.sealedSecrets(), sealing.key(), command.sealBinding());
        try {
            var secrets = Json.mapper().readValue(plain, WorkloadSecrets.class);
            return new StartGroup(command.commandId(), command.groupId(), command.generation(),
                    secrets.fill(WorkloadSecrets.withoutSecrets(command.workload())), command.sealedSecrets());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the sealed secrets of " + command.groupId() + " are unreadable");
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }
}
