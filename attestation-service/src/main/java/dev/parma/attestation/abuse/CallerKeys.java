package dev.parma.attestation.abuse;

import dev.parma.attestation.api.Tenants;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a request is charged to. A tenant's calls are charged to the tenant (the path's tenant instance, or the tenant
 * of a verified token): changing the source address does not buy a fresh budget. A source address is what is left
 * for anonymous callers, and one a caller cannot vary for free: every loopback address (127.0.0.0/8, ::1) is one
 * source, and an IPv6 source is its /64 (a host gets a whole /64 to pick from).
 */
public final class CallerKeys {
    private static final Pattern IP_LITERAL = Pattern.compile("\\[?[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9]{1,16})?]?");
    private static final Pattern TENANT_PATH = Pattern.compile("/tenants/([^/]+)(?:/.*)?");

    private CallerKeys() {
    }

    /** The tenant a path belongs to, if it names a valid one. */
    public static Optional<String> tenantOf(String path) {
        var m = TENANT_PATH.matcher(path);
        return m.matches() && Tenants.isValid(m.group(1)) ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static String tenant(String tenant) {
        return "tenant:" + tenant;
    }

    /** The source key of a client address as the socket reports it (null or unparsable: one "unknown" source). */
    public static String source(String hostAddress) {
        if (hostAddress == null || !IP_LITERAL.matcher(hostAddress).matches()) {
            return "source:unknown";
        }
        InetAddress a;
        try {
            // a literal address: never a name lookup (getByName on an IP literal does not resolve)
            a = InetAddress.getByName(hostAddress.startsWith("[")
                    ? hostAddress.substring(1, hostAddress.length()
                            - 1)
                    : hostAddress);
        } catch (UnknownHostException | StringIndexOutOfBoundsException e) {
            return "source:unknown";
        }
        if (a.isLoopbackAddress()) {
            return "source:loopback";
        }
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            return "source:" + HexFormat.of().formatHex(b, 0, 8) + "::/64";
        }
        return "source:" + ((Inet4Address) a).getHostAddress();
    }
}
