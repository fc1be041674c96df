package dev.parma.node.sim;

import dev.parma.guest.OwnerOnly;
import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.Product;
import dev.parma.snp.sim.SecureProcessor;
import dev.parma.snp.sim.SimAuthority;
import dev.parma.snp.sim.SimChip;
import dev.parma.snp.sim.SimGuest;
import dev.parma.snp.sim.UvmPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * This node's simulated AMD secure processor: a persisted {@link SimAuthority} (shareable between nodes) and a
 * persisted chip, so reports stay verifiable across agent restarts; and the simulated UVM's publisher, whose signed
 * endorsement of the UVM measurement ({@code uvm-publisher.pem} next to the authority) the guest hands out.
 */
public final class SimPlatform {

    private final SimAuthority authority;
    private final SimChip chip;
    private final SecureProcessor sp;
    private final UvmPublisher publisher;

    private SimPlatform(SimAuthority authority, SimChip chip, UvmPublisher publisher) {
        this.authority = authority;
        this.chip = chip;
        this.sp = SecureProcessor.create(authority, chip);
        this.publisher = publisher;
    }

    /**
     * Loads the authority and chip from their files, creating (and saving) them on first use. They hold private keys
     * and the chip secret: files 0600, their directories 0700 (files an older agent wrote wider are narrowed).
     */
    public static synchronized SimPlatform open(Path authorityFile, Path chipFile) {
        try {
            for (Path f : List.of(authorityFile, chipFile, authorityFile.resolveSibling("uvm-publisher.pem"))) {
                if (Files.exists(f)) {
                    OwnerOnly.directory(f.toAbsolutePath().getParent());
                    OwnerOnly.narrow(f);
                }
            }
            SimAuthority authority;
            if (Files.exists(authorityFile)) {
                authority = SimAuthority.fromPem(Files.readString(authorityFile));
            } else {
                authority = SimAuthority.generate(Product.MILAN);
                OwnerOnly.directory(authorityFile.toAbsolutePath().getParent());
                Path tmp = authorityFile.resolveSibling(authorityFile.getFileName() + ".tmp");
                OwnerOnly.write(tmp, authority.toPem());
                Files.move(tmp, authorityFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            SimChip chip;
            if (Files.exists(chipFile)) {
                List<String> lines = Files.readAllLines(chipFile);
                chip = SimChip.of(authority.product(), HexFormat.of().parseHex(lines.get(0).strip()),
                        HexFormat.of().parseHex(lines.get(1).strip()));
            } else {
                chip = SimChip.random(authority.product(), new SecureRandom());
                OwnerOnly.directory(chipFile.toAbsolutePath().getParent());
                OwnerOnly.write(chipFile, HexFormat.of().formatHex(chip.chipId()) + "\n"
                        + HexFormat.of().formatHex(chip.secret()) + "\n");
            }
            Path publisherFile = authorityFile.resolveSibling("uvm-publisher.pem");
            UvmPublisher publisher;
            if (Files.exists(publisherFile)) {
                publisher = UvmPublisher.fromPem(Files.readString(publisherFile));
            } else {
                publisher = UvmPublisher.generate(java.time.Instant.now().minusSeconds(3600), new SecureRandom());
                Path tmp = publisherFile.resolveSibling(publisherFile.getFileName() + ".tmp");
                OwnerOnly.write(tmp, publisher.toPem());
                Files.move(tmp, publisherFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new SimPlatform(authority, chip, publisher);
        } catch (IOException e) {
            throw new UncheckedIOException("simulated secure processor state", e);
        }
    }

    public SimAuthority authority() {
        return authority;
    }

    public SimChip chip() {
        return chip;
    }

    /** REPORTED_TCB of the simulated chip (hex of TCB_VERSION): what its reports and VCEK carry. */
    public String reportedTcb() {
        return dev.parma.snp.abi.TcbVersion.of(sp.product(), sp.config().reportedTcb()).hex();
    }

    /** Signs the UVM endorsement; its root certificate is what the attestation service trusts. */
    public UvmPublisher publisher() {
        return publisher;
    }

    /** LAUNCH_START … LAUNCH_FINISH of an image with HOST_DATA: the guest as the secure processor knows it. */
    public SimGuest launch(List<byte[]> imageContents, byte[] hostData) {
        var launch = sp.launchStart(GuestPolicy.defaults());
        long gpa = UvmImage.BASE_GPA;
        for (byte[] part : imageContents) {
            // each part starts on its own page; the last page is zero-filled, as a loader would leave it
            byte[] pages = java.util.Arrays.copyOf(part, (int) (Math.max(1, (part.length + 4095L) / 4096L) * 4096L));
            launch.updateNormal(gpa, pages);
            gpa += pages.length;
        }
        return launch.finish(hostData);
    }

    /** The public ARK and ASK (what a verifier must trust to accept this node's reports). */
    public String rootsPem() {
        return pem(authority.ask()) + pem(authority.ark());
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
