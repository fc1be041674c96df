package dev.parma.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The gateway's entry point. It only turns off Vert.x's own URI check before Quarkus starts: that check answers a
 * URI it cannot parse (a malformed percent escape, a space) with an empty 400, while {@code RawRequests} refuses the
 * same URIs with a CloudError. (Tests set the property in the build, since they do not start here.)
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
