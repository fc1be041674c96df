package dev.parma.snp.testkit;

import dev.parma.snp.sim.SimAuthority;
import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** ARK-signed CRLs in AMD's style (RSASSA-PSS/SHA-384) for revocation tests. */
public final class TestCrls {
    private TestCrls() {
    }

    public static X509CRL crl(SimAuthority authority, List<BigInteger> revokedSerials, Instant thisUpdate,
            Instant nextUpdate) {
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(authority.ark().getSubjectX500Principal()
                .getEncoded()), Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (BigInteger s : revokedSerials) {
            b.addCRLEntry(s, Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        try {
            return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA384withRSAandMGF1")
                    .setProvider(new BouncyCastleProvider()).build(authority.arkKeyPair().getPrivate())));
        } catch (OperatorCreationException | CRLException e) {
            throw new IllegalStateException("cannot build CRL", e);
        }
    }
}
