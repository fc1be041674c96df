package dev.parma.gateway.arm;

import dev.parma.contracts.arm.CloudError;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The regions this platform offers ({@code parma.regions}, canonical ARM names such as {@code westeurope}). A
 * location is one of them written either way ARM accepts ("West Europe" is {@code westeurope}); anything else is
 * refused as ARM refuses it, with {@code LocationNotAvailableForResourceType}. Limits and quotas are keyed by the
 * canonical name, so one region is one budget however it is spelled.
 */
@ApplicationScoped
public class Regions {

    static final String CODE = "LocationNotAvailableForResourceType";

    @ConfigProperty(name = "parma.regions")
    List<String> configured;

    /** Spelling-free key (lower case, no spaces) → canonical name. */
    private final Map<String, String> byKey = new LinkedHashMap<>();

    @PostConstruct
    void init() {
        for (String region : configured) {
            String canonical = key(region);
            if (canonical.isEmpty() || !canonical.matches("[a-z0-9]{1,64}")) {
                throw new IllegalArgumentException("parma.regions: '" + region + "' is not a region name");
            }
            byKey.put(canonical, canonical);
        }
    }

    /** The canonical name of {@code location}, if it is one of ours. */
    public Optional<String> canonical(String location) {
        return location == null || location.length() > 64
                ? Optional.empty()
                : Optional.ofNullable(byKey.get(key(location)));
    }

    /** The canonical name of {@code location}, or a 400 naming {@code target} and the regions there are. */
    public String require(String location, String target) {
        return canonical(location).orElseThrow(() -> unavailable(location, target, ""));
    }

    /** ARM's refusal of {@code location}, naming {@code target}; {@code where} is added to the message. */
    public ArmError unavailable(String location, String target, String where) {
        return new ArmError(400, CloudError.of(CODE, "The provided location '" + ArmNames.shown(location)
                + "' is not available for resource type 'Microsoft.ContainerInstance/containerGroups'" + where
                + ". List of available regions for the resource type is '" + String.join(",", byKey.values())
                + "'.", target));
    }

    private static String key(String location) {
        return location.replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
