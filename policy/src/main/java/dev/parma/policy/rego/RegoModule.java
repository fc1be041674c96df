package dev.parma.policy.rego;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.parma.policy.Require;

/**
 * A parsed module in the generated-policy form: a package, imports and {@code name := term} bindings in source order.
 *
 * @param packageName the dotted package name, e.g. {@code policy} or a fragment namespace
 * @param imports the imported paths, e.g. {@code future.keywords.in}
 * @param bindings every top-level binding by name, in source order
 */
public record RegoModule(String packageName, List<String> imports, Map<String, Binding> bindings) {

    public RegoModule {
        imports = Require.list(imports, "imports");
        bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    }

    /** One {@code name := term} statement and where its name and its value start. */
    public record Binding(String name, Value value, Position namePosition, Position valuePosition) {
    }
}
