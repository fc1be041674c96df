package dev.parma.attestation.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each path needs, in one table. MAA's data plane stays as MAA has it: attest is open (rate-limited) and key
 * release takes the attestation token as its credential; OIDC metadata is public, for every instance. A tenant's policies and keys are
 * for that tenant's callers; everything else — provider-level policy, reference values, admin — is for operators.
 * Anything not listed needs an operator, so a new endpoint is closed until it is placed here.
 */
public final class AccessRules {

    /** The requirement of one request. */
    public sealed interface Need {
    }

    /** No credential (or the attestation token in the body). */
    public record Open() implements Need {
    }

    /** Role {@code sre}. */
    public record Operator(String action) implements Need {
    }

    /** A caller of {@code tenant} ({@code tid}); writes need {@code tenant-owner}, reads also allow a reader. */
    public record Tenant(String tenant, boolean write, String action) implements Need {
    }

    /** Attest and OIDC metadata, the provider's instance and each tenant's. */
    private static final Pattern OPEN = Pattern.compile(
            "(/tenants/[^/]+)?(/attest/SevSnpVm|/\\.well-known/openid-configuration|/certs)");
    private static final Pattern RELEASE = Pattern.compile("/tenants/[^/]+/keys/[^/]+/release");
    private static final Pattern TENANT = Pattern.compile("/tenants/([^/]+)/(policies|keys)(/.*)?");
    private static final Pattern OPERATOR = Pattern.compile("/(admin|referenceValues|policies)(/.*)?");

    private AccessRules() {
    }

    public static Need of(String method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (OPEN.matcher(p).matches() || "POST".equals(method) && RELEASE.matcher(p).matches()) {
            return new Open();
        }
        Matcher t = TENANT.matcher(p);
        if (t.matches()) {
            return new Tenant(t.group(1), !read, "Parma.Attestation/tenants/" + t.group(2) + (read
                    ? "/read"
                    : "/write"));
        }
        Matcher o = OPERATOR.matcher(p);
        String area = o.matches() ? o.group(1) : "operations";
        return new Operator("Parma.Attestation/" + area + (read ? "/read" : "/write"));
    }
}
