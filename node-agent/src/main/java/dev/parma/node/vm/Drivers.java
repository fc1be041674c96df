package dev.parma.node.vm;

import dev.parma.node.config.NodeConfig;
import dev.parma.node.sim.GuestCds;
import dev.parma.node.sim.SimPlatform;
import dev.parma.node.sim.UvmImage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Picks this node's VM driver from {@code parma.node.driver}. */
@ApplicationScoped
public class Drivers {

    private static final Logger LOG = Logger.getLogger(Drivers.class);

    @Produces
    @Singleton
    VmDriver driver(NodeConfig config) {
        return switch (config.driver()) {
            case "none" -> new NoneDriver();
            case "qemu-snp" -> new QemuSnpDriver(config.qemu(), Path.of("/dev/sev"));
            case "sim" -> {
                long t0 = System.nanoTime();
                Path simDir = config.workDir().resolve("sim");
                var platform = SimPlatform.open(config.simAuthorityFile().orElse(simDir.resolve("authority.pem")),
                        config.simChipFile().orElse(simDir.resolve("chip")));
                UvmImage image = UvmImage.locate(config.guestJvmOptions());
                if (config.guestCds()) {
                    Path shared = config.simAuthorityFile().map(f -> f.toAbsolutePath().getParent()).orElse(simDir);
                    image = GuestCds.ensure(image, image.jvmArgs(config.guestJvmOptions()), shared)
                            .map(image::withCdsArchive).orElse(image);
                }
                var driver = new SimDriver(platform, image, config.guestJvmOptions(), config.id());
                LOG.infof("sim driver ready in %d ms: UVM measurement %s", (System.nanoTime() - t0) / 1_000_000,
                        driver.uvmMeasurement());
                yield driver;
            }
            default -> throw new IllegalArgumentException("parma.node.driver must be sim, qemu-snp or none, not "
                    + config.driver());
        };
    }
}
