package dev.parma.snp.validate;

import static dev.parma.snp.Anchors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parma.snp.abi.AttestationReport;
import dev.parma.snp.abi.GuestPolicy;
import dev.parma.snp.abi.Product;
import dev.parma.snp.abi.TcbParts;
import dev.parma.snp.trust.RootStore;
import dev.parma.snp.verify.ReportVerifier;
import dev.parma.snp.verify.VerifiedReport;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportValidatorTest {
    static final VerifiedReport ACI = verify();

    static VerifiedReport verify() {
        try {
            return ReportVerifier.create(RootStore.amd()).verify(bytes("aci-milan-v2/report.bin"), pemChain(
                    "aci-milan-v2/vcek_ask_ark.pem"), NOW);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] policyDigest() {
        return sha256(Base64.getDecoder().decode(text("aci-milan-v2/cce_policy.rego.base64").trim()));
    }

    @Test
    void realAciReportMeetsItsExpectations() throws Exception {
        ReportValidator.validate(ACI, ValidationOptions.builder().hostData(policyDigest()).measurements(List.of(
                new byte[48], ACI.report().measurement())).vmpl(0).minimumTcb(TcbParts.of(3, 0, 8, 115)).familyId(hex(
                        "01000000000000000000000000000000"))
                .imageId(hex("02000000000000000000000000000000"))
                .minimumGuestSvn(2).idKeyDigests(List.of(ACI.report().idKeyDigest())).permitMigrationAgent(false)
                .build());
        ReportValidator.validate(ACI, ValidationOptions.defaults());
    }

    @Test
    void everyMismatchIsReportedWithFieldGotAndWant() {
        ValidationOptions o = ValidationOptions.builder().hostData(new byte[32]).measurement(new byte[48]).reportData(
                new byte[64]).vmpl(1).minimumTcb(TcbParts.of(3, 0, 8, 116)).familyId(new byte[16]).imageId(new byte[16])
                .minimumGuestSvn(3).idKeyDigests(List.of(new byte[48])).build();
        assertThatThrownBy(() -> ReportValidator.validate(ACI, o)).isInstanceOfSatisfying(ValidationException.class,
                e -> {
                    assertThat(e.mismatches()).extracting(Mismatch::field).containsExactlyInAnyOrder("HOST_DATA",
                            "REPORT_DATA", "FAMILY_ID", "IMAGE_ID", "MEASUREMENT", "ID_KEY_DIGEST", "VMPL", "GUEST_SVN",
                            "REPORTED_TCB", "CURRENT_TCB");
                    assertThat(e.mismatch("HOST_DATA").orElseThrow().got()).isEqualTo(
                            "cadd74f71ebb8fbf9782baab649612520f3c416bc5ce9ac768808ddc8d9b031c");
                    assertThat(e.mismatch("HOST_DATA").orElseThrow().want()).isEqualTo("00".repeat(32));
                    assertThat(e.mismatch("VMPL").orElseThrow().toString()).isEqualTo("VMPL: got 0, want 1");
                    assertThat(e.mismatch("GUEST_SVN").orElseThrow().toString())
                            .isEqualTo("GUEST_SVN: got 2, want >= 3");
                    assertThat(e.mismatch("REPORTED_TCB").orElseThrow().toString()).contains("ucode=115").contains(
                            ">= TcbParts[fmc=0, bl=3, tee=0, snp=8, ucode=116]");
                });
    }

    @Test
    void debugGuestsAreRefusedByDefault() throws Exception {
        AttestationReport debug = ACI.report().toBuilder().policy(GuestPolicy.defaults().withDebug(true)).build();
        assertThatThrownBy(() -> ReportValidator.validate(debug, Product.MILAN, ValidationOptions.defaults()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("POLICY.DEBUG: got 1");
        ReportValidator.validate(debug, Product.MILAN, ValidationOptions.builder().permitDebug(true).build());
    }

    @Test
    void migrationAgentCanBeRefused() throws Exception {
        AttestationReport ma = ACI.report().toBuilder().policy(GuestPolicy.defaults().withMigrateMa(true)).build();
        ReportValidator.validate(ma, Product.MILAN, ValidationOptions.defaults());
        assertThatThrownBy(() -> ReportValidator.validate(ma, Product.MILAN, ValidationOptions.builder()
                .permitMigrationAgent(false).build())).hasMessageContaining("POLICY.MIGRATE_MA");
    }

    @Test
    void optionsRejectWrongSizesAndEmptyAllowlists() {
        assertThatThrownBy(() -> ValidationOptions.builder().hostData(new byte[31]).build()).hasMessageContaining(
                "HOST_DATA must be 32 bytes, got 31");
        assertThatThrownBy(() -> ValidationOptions.builder().measurements(List.of()).build()).hasMessageContaining(
                "MEASUREMENT list is empty");
        assertThatThrownBy(() -> ValidationOptions.builder().vmpl(4).build()).hasMessageContaining("VMPL must be 0..3");
    }
}
