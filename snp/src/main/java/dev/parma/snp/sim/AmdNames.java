package dev.parma.snp.sim;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** AMD's distinguished names: OU=Engineering, C=US, L=Santa Clara, ST=CA, O=Advanced Micro Devices, CN=... */
final class AmdNames {
    private AmdNames() {
    }

    static X500Name of(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.OU, "Engineering").addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.L, "Santa Clara").addRDN(BCStyle.ST, "CA").addRDN(BCStyle.O, "Advanced Micro Devices")
                .addRDN(BCStyle.CN, cn).build();
    }
}
