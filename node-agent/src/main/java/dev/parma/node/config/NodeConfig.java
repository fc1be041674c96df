package dev.parma.node.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Settings of one node agent. */
@ConfigMapping(prefix = "parma.node")
public interface NodeConfig {

    /** This node's id, a DNS label; its command topic is parma.node.&lt;id&gt;.commands. */
    String id();

    /** VM driver: {@code none} runs standard groups without a utility VM. */
    @WithDefault("none")
    String driver();

    /** vCPUs this node offers to groups. */
    double cpu();

    /** Memory in GB this node offers to groups. */
    double memoryInGb();

    /** Where groups' working directories and logs live. */
    Path workDir();

    /** How often the node announces itself and its capacity. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** How long a container gets between SIGTERM and SIGKILL when its group is deleted. */
    @WithDefault("5s")
    Duration stopGrace();
}
