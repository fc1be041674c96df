package dev.parma.snp.sim;

import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.abi.TcbVersion;
import dev.parma.snp.verify.CertificateChain;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * A software AMD secure processor for one chip. Guests go through {@link #launchStart} → {@link GuestLaunch#update}
 * → {@link GuestLaunch#finish} and then request reports, which are signed by this chip's VCEK for the REPORTED_TCB.
 * The VCEK chains to the {@link SimAuthority}'s ARK, never to AMD's, so the same {@code ReportVerifier} accepts these
 * reports only when the simulator's roots are trusted.
 *
 * <pre>{@code
 * SimAuthority authority = SimAuthority.generate(Product.MILAN);
 * SecureProcessor sp = SecureProcessor.create(authority, SimChip.random(Product.MILAN, rnd));
 * GuestLaunch launch = sp.launchStart(GuestPolicy.defaults());
 * launch.updateNormal(gpa, firmwarePages);
 * SimGuest guest = launch.finish(hostData);
 * byte[] report = guest.report(reportData, 0);
 * CertificateChain chain = sp.certificateChain();
 * }</pre>
 */
public final class SecureProcessor {
    private final SimAuthority authority;
    private final SimChip chip;
    private final SimConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final ECPrivateKeyParameters vcekKey;
    private final X509Certificate vcek;

    private SecureProcessor(SimAuthority authority, SimChip chip, SimConfig config, Clock clock,
            SecureRandom random) {
        if (authority.product() != chip.product()) {
            throw new IllegalArgumentException("chip is " + chip.product() + " but the authority is "
                    + authority.product());
        }
        this.authority = authority;
        this.chip = chip;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.vcekKey = chip.vcekKey(config.reportedTcb());
        Instant rootFrom = authority.ark().getNotBefore().toInstant();
        Instant from = clock.instant().minus(Duration.ofDays(1));
        this.vcek = authority.issue(LeafSpec.vcek(chip.product(), config.reportedTcb(), chip.hwId(), P384
                .jcaPublicKey(P384.publicKey(vcekKey)), from.isBefore(rootFrom) ? rootFrom : from));
    }

    public static SecureProcessor create(SimAuthority authority, SimChip chip, SimConfig config, Clock clock,
            SecureRandom random) {
        return new SecureProcessor(authority, chip, config, clock, random);
    }

    public static SecureProcessor create(SimAuthority authority, SimChip chip) {
        return create(authority, chip, SimConfig.defaults(chip.product()), Clock.systemUTC(), new SecureRandom());
    }

    /** SNP_LAUNCH_START: begins a guest with the given policy. */
    public GuestLaunch launchStart(GuestPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("LAUNCH_START: POLICY is required");
        }
        return new GuestLaunch(this, policy);
    }

    public Product product() {
        return chip.product();
    }

    public SimChip chip() {
        return chip;
    }

    public SimConfig config() {
        return config;
    }

    public SimAuthority authority() {
        return authority;
    }

    /** This chip's VCEK for the REPORTED_TCB. */
    public X509Certificate vcek() {
        return vcek;
    }

    /** VCEK, ASK, ARK: what a guest hands a verifier. */
    public CertificateChain certificateChain() {
        return new CertificateChain(vcek, authority.ask(), authority.ark());
    }

    TcbVersion tcb(TcbParts parts) {
        return TcbVersion.of(chip.product(), parts);
    }

    ECPrivateKeyParameters vcekKey() {
        return vcekKey;
    }

    SecureRandom random() {
        return random;
    }
}
