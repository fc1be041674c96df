package dev.parma.snp.measure;

import java.util.List;

/**
 * The expected MEASUREMENT of a QEMU/OVMF SNP guest (sev-snp-measure guest.py snp_calc_launch_digest):
 * <ol>
 * <li>the OVMF image as NORMAL pages (or a stored OVMF digest as seed);</li>
 * <li>the OVMF SEV metadata sections in table order: SNP_SEC_MEM and SVSM_CAA as ZERO pages, SNP_SECRETS as one
 * SECRETS page, CPUID as one CPUID page, SNP_KERNEL_HASHES as one NORMAL page holding the SEV hashes table when a
 * kernel is measured (else ZERO pages);</li>
 * <li>one VMSA page per vCPU: the BSP at {@link Vmsa#BSP_EIP}, APs at the SEV-ES reset EIP.</li>
 * </ol>
 *
 * A kernel (non-null {@code hashes}) needs an SNP_KERNEL_HASHES section and a hashes-table GPA: without them QEMU has
 * nowhere to put the table, so the launch would not measure the kernel, initrd or command line at all; computing a
 * digest "with" them would bind none. sev-snp-measure and virtee/sev refuse that, and so does this record.
 *
 * @param ovmfDigest the digest after step 1 (see {@link OvmfImage#digest()})
 * @param sevHashesTableGpa GPA of the SEV hashes table (the OVMF footer's entry), 0 if the firmware has none
 * @param hashes kernel/initrd/cmdline hashes, or null when the guest has no measured direct boot
 */
public record SnpMeasurement(byte[] ovmfDigest, List<MetadataSection> sections, long apResetEip,
        long sevHashesTableGpa, SevHashes hashes, int vcpus, long vcpuSignature, long guestFeatures) {

    /** CPUID(1).EAX of QEMU's EPYC-v4 model, sev-snp-measure's default vCPU type. */
    public static final long EPYC_V4_SIGNATURE = 0x800F12L;

    public SnpMeasurement {
        if (ovmfDigest == null || ovmfDigest.length != 48) {
            throw new IllegalArgumentException("OVMF digest must be 48 bytes");
        }
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be at least 1, got " + vcpus);
        }
        ovmfDigest = ovmfDigest.clone();
        sections = List.copyOf(sections);
        if (hashes != null) {
            if (sections.stream().noneMatch(s -> s.type() == MetadataSection.Type.SNP_KERNEL_HASHES)) {
                throw new IllegalArgumentException("a kernel is measured but the OVMF SEV metadata has no "
                        + "SNP_KERNEL_HASHES section: the launch would not measure the kernel, initrd or command "
                        + "line (use an OVMF built for measured direct boot, e.g. AmdSev)");
            }
            if (sevHashesTableGpa == 0) {
                throw new IllegalArgumentException("a kernel is measured but the OVMF footer table has no SEV "
                        + "hashes table entry (GUID 7255371f-3a3b-4b04-927b-1da6efa8d454): the launch would not "
                        + "measure the kernel, initrd or command line");
            }
        }
    }

    /** Inputs taken from a parsed OVMF image. */
    public static SnpMeasurement of(OvmfImage ovmf, SevHashes hashes, int vcpus, long vcpuSignature,
            long guestFeatures) {
        return new SnpMeasurement(ovmf.digest(), ovmf.sections(), ovmf.sevEsResetEip(), ovmf.sevHashesTableGpa(),
                hashes, vcpus, vcpuSignature, guestFeatures);
    }

    /** Replays the launch into {@code digest}, seeded with the OVMF digest. */
    public LaunchDigest replay() {
        LaunchDigest d = new LaunchDigest(ovmfDigest);
        for (MetadataSection s : sections) {
            switch (s.type()) {
                case SNP_SEC_MEM, SVSM_CAA -> d.updateRange(PageType.ZERO, s.gpa(), s.size());
                case SNP_SECRETS -> d.update(PageType.SECRETS, s.gpa(), null);
                case CPUID -> d.update(PageType.CPUID, s.gpa(), null);
                case SNP_KERNEL_HASHES -> {
                    if (hashes == null) {
                        d.updateRange(PageType.ZERO, s.gpa(), s.size());
                    } else {
                        if (s.size() != LaunchDigest.PAGE_SIZE) {
                            throw new IllegalArgumentException("SNP_KERNEL_HASHES section must be one page, is 0x"
                                    + Long.toHexString(s.size()));
                        }
                        d.update(PageType.NORMAL, s.gpa(), hashes.page((int) (sevHashesTableGpa & 0xFFF)));
                    }
                }
            }
        }
        for (int i = 0; i < vcpus; i++) {
            d.updateVmsa(Vmsa.qemu(i == 0 ? Vmsa.BSP_EIP : apResetEip, vcpuSignature, guestFeatures));
        }
        return d;
    }

    public byte[] launchDigest() {
        return replay().digest();
    }
}
