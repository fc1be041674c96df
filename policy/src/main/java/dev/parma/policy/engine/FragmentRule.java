package dev.parma.policy.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.parma.policy.model.FragmentRef;
import dev.parma.policy.model.Semver;

/** load_fragment (framework 0.3.0, single phase): issuer, feed and SVN against the policy's fragment list. */
final class FragmentRule {

    private FragmentRule() {
    }

    /** @param refs the candidate fragment references (none for a policy of an unsupported framework version) */
    static Outcome evaluate(Request.LoadFragment x, List<FragmentRef> refs) {
        List<FragmentRef> byIssuer = refs.stream().filter(f -> f.issuer().equals(x.issuer())).toList();
        if (byIssuer.isEmpty()) {
            return Outcome.deny("invalid fragment issuer");
        }
        List<FragmentRef> byFeed = byIssuer.stream().filter(f -> f.feed().equals(x.feed())).toList();
        if (byFeed.isEmpty()) {
            return Outcome.deny("invalid fragment feed");
        }
        List<String> errors = new ArrayList<>();
        if (x.fragment().frameworkVersion().isEmpty()) {
            errors.add("fragment framework_version is missing. Current version: "
                    + EnforcementPoint.ENGINE_FRAMEWORK_VERSION);
        } else if (x.fragment().frameworkVersion().get().compareTo(EnforcementPoint.ENGINE_FRAMEWORK_VERSION) > 0) {
            errors.add("fragment framework_version is ahead of the current version: "
                    + x.fragment().frameworkVersion().get() + " is greater than "
                    + EnforcementPoint.ENGINE_FRAMEWORK_VERSION);
        }
        Optional<FragmentRef> ok = Optional.empty();
        for (FragmentRef f : byFeed) {
            SvnCheck c = svnOk(x.fragment().svn(), f.minimumSvn());
            if (c == SvnCheck.OK) {
                ok = Optional.of(f);
                break;
            }
            errors.add(c == SvnCheck.BELOW
                    ? "fragment svn is below the specified minimum"
                    : "fragment svn and the specified minimum are different types");
        }
        boolean versionError = errors.stream().anyMatch(e -> e.startsWith("fragment framework_version"));
        if (ok.isEmpty() || versionError) {
            return Outcome.deny(errors);
        }
        FragmentRef ref = ok.get();
        Metadata.LoadedFragment loaded = new Metadata.LoadedFragment(x.issuer(), x.feed(), x.fragment(),
                ref.includes());
        return new Outcome(true, Optional.empty(), Optional.empty(), false, ref.includes().contains("namespace"),
                List.of(),
                List.of(Framework.change("issuers add " + x.issuer() + " " + x.feed(), s -> s.addFragment(loaded))),
                List.of());
    }

    enum SvnCheck {
        OK, BELOW, TYPES
    }

    /** Semver compare if both are semver (deprecated form), numeric if both are numbers, else a type mismatch. */
    static SvnCheck svnOk(String svn, String minimum) {
        boolean a = Semver.isSemver(svn);
        boolean b = Semver.isSemver(minimum);
        if (a && b) {
            return Semver.parse(svn).atLeast(Semver.parse(minimum)) ? SvnCheck.OK : SvnCheck.BELOW;
        }
        if (a || b) {
            return SvnCheck.TYPES;
        }
        try {
            return new BigDecimal(svn).compareTo(new BigDecimal(minimum)) >= 0 ? SvnCheck.OK : SvnCheck.BELOW;
        } catch (NumberFormatException e) {
            return SvnCheck.TYPES;
        }
    }
}
