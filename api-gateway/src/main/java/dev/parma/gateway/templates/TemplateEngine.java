package dev.parma.gateway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.gateway.arm.ArmNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Evaluates an ARM deployment template: typed parameters (supplied values, expression defaults, allowedValues,
 * min/max, securestring), variables, the expression language, resources with {@code condition} and
 * {@code dependsOn} ordering, and outputs (where {@code reference()} reads a deployed resource). Every error is
 * a {@link TemplateError} pointing (JSON Pointer into the request body) at the value that caused it.
 */
public final class TemplateEngine {

    public static final String CONTAINER_GROUPS = "Microsoft.ContainerInstance/containerGroups";
    private static final Pattern PLACEHOLDER = Pattern.compile("^<[^<>]+>$");
    /** ACI's container group names. */
    private static final Pattern ACI_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Where the deployment happens. */
    public record Context(String subscriptionId, String tenantId, String resourceGroup, String location,
            String deploymentName, String mode) {
    }

    /**
     * A container group to create, in deployment order: always in the deployment's own subscription and resource
     * group, its {@code name} one checked ARM name segment (the backend is called with these as encoded path
     * parameters, never with a path built from text).
     */
    public record Resource(String subscription, String resourceGroup, String name, String apiVersion,
            ObjectNode body, List<String> dependsOn, String pointer) {

        /** The ARM resource id. */
        public String id() {
            return resourceId(subscription, resourceGroup, CONTAINER_GROUPS, List.of(name));
        }
    }

    /** A parameter's resolved value; secure ones are never shown. */
    public record Parameter(String name, String type, JsonNode value, boolean secure) {
    }

    /** The evaluated template. */
    public record Plan(List<Resource> resources, List<Parameter> parameters) {
    }

    private final JsonNode template;
    private final String base;
    private final JsonNode supplied;
    private final String suppliedBase;
    private final Context ctx;
    private final Map<String, String> declaredNames = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, JsonNode> params = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, JsonNode> vars = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> resolving = new HashSet<>();
    private Function<String, JsonNode> references;
    private String currentPointer = "";
    /** Characters produced by function calls so far, and their bound (see {@link #call}). */
    private long produced;
    static final long MAX_PRODUCED = 16L << 20;

    /**
     * @param template the template object; {@code base} is its JSON Pointer in the request body
     * @param supplied the {@code parameters} object of the request ({name: {value}}), may be null
     */
    public TemplateEngine(JsonNode template, String base, JsonNode supplied, String suppliedBase, Context ctx) {
        if (template == null || !template.isObject()) {
            throw new TemplateError(base, "The template must be a JSON object");
        }
        this.template = template;
        this.base = base;
        this.supplied = supplied == null || supplied.isNull() ? Functions.NODES.objectNode() : supplied;
        this.suppliedBase = suppliedBase;
        this.ctx = ctx;
        if (!this.supplied.isObject()) {
            throw new TemplateError(suppliedBase, "The deployment parameters must be a JSON object");
        }
        JsonNode declared = section("parameters");
        declared.fieldNames().forEachRemaining(n -> declaredNames.put(n, n));
        for (var it = this.supplied.fieldNames(); it.hasNext();) {
            String n = it.next();
            if (!declaredNames.containsKey(n)) {
                throw new TemplateError(suppliedBase + "/" + LocatedJson.escape(n), "The template parameter '" + n
                        + "' is not valid; it is not present in the original template and can therefore not be provided at deployment time");
            }
        }
    }

    private JsonNode section(String name) {
        JsonNode n = field(template, name);
        if (n == null || n.isNull()) {
            return Functions.NODES.objectNode();
        }
        if (!n.isObject() && !name.equals("resources")) {
            throw new TemplateError(base + "/" + name, "The template section '" + name + "' must be an object");
        }
        return n;
    }

    /** A field matched case-insensitively, as ARM does. */
    static JsonNode field(JsonNode o, String name) {
        if (o == null || !o.isObject()) {
            return null;
        }
        JsonNode exact = o.get(name);
        if (exact != null) {
            return exact;
        }
        for (var it = o.fields(); it.hasNext();) {
            var f = it.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    private static String fieldName(JsonNode o, String name) {
        for (var it = o.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return name;
    }

    /** Evaluates parameters, variables and resources; outputs wait for {@link #outputs}. */
    public Plan plan() {
        try {
            return planAll();
        } catch (TemplateError e) {
            throw scrubbed(e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw scrubbed(new TemplateError(base, String.valueOf(e.getMessage())));
        }
    }

    /**
     * The error with every secure parameter value replaced by {@code ***}: an expression such as
     * {@code int(parameters('password'))} must not echo the password in its message.
     */
    private TemplateError scrubbed(TemplateError e) {
        String message = e.getMessage();
        boolean changed = false;
        for (String secret : secureValues()) {
            if (!secret.isEmpty() && message.contains(secret)) {
                message = message.replace(secret, "***");
                changed = true;
            }
        }
        return changed ? new TemplateError(e.pointer(), message) : e;
    }

    private static List<String> secrets(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isValueNode()) {
            out.add(v.asText());
        } else {
            out.add(v.toString());
            v.elements().forEachRemaining(e -> out.addAll(secrets(e)));
        }
        return out;
    }

    private Plan planAll() {
        List<Parameter> parameters = new ArrayList<>();
        JsonNode declared = section("parameters");
        for (var it = declared.fieldNames(); it.hasNext();) {
            String n = it.next();
            JsonNode value = parameter(n);
            String type = field(declared.get(n), "type") == null ? "string" : field(declared.get(n), "type").asText();
            parameters.add(new Parameter(n, type, value, type.toLowerCase(Locale.ROOT).startsWith("secure")));
        }
        JsonNode variables = section("variables");
        variables.fieldNames().forEachRemaining(this::variable);
        if (field(template, "functions") != null && field(template, "functions").size() > 0) {
            throw new TemplateError(base + "/" + fieldName(template, "functions"),
                    "User-defined functions are not supported yet");
        }
        return new Plan(resources(), parameters);
    }

    private List<Resource> resources() {
        JsonNode list = field(template, "resources");
        String listPointer = base + "/" + (list == null ? "resources" : fieldName(template, "resources"));
        if (list == null || !list.isArray()) {
            throw new TemplateError(listPointer, "The template must have a 'resources' array");
        }
        Map<String, Resource> byId = new LinkedHashMap<>();
        Map<String, List<String>> rawDepends = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            String p = listPointer + "/" + i;
            if (!r.isObject()) {
                throw new TemplateError(p, "A template resource must be an object");
            }
            JsonNode condition = field(r, "condition");
            if (condition != null) {
                String cp = p + "/" + fieldName(r, "condition");
                JsonNode c = eval(condition, cp);
                if (!c.isBoolean() && !c.isTextual()) {
                    throw new TemplateError(cp,
                            "The resource condition must be a boolean, got " + Functions.describe(c));
                }
                if (!Functions.toBool(c)) {
                    continue;
                }
            }
            if (field(r, "copy") != null) {
                throw new TemplateError(p + "/" + fieldName(r, "copy"), "Resource copy loops are not supported yet");
            }
            JsonNode typeNode = field(r, "type");
            String type = typeNode == null ? "" : evalString(typeNode, p + "/type");
            if (!type.equalsIgnoreCase(CONTAINER_GROUPS)) {
                throw new TemplateError(p + "/type", "The template resource type '" + type
                        + "' is not supported; this deployment engine deploys " + CONTAINER_GROUPS);
            }
            JsonNode nameNode = field(r, "name");
            if (nameNode == null) {
                throw new TemplateError(p, "The template resource has no 'name'");
            }
            String namePointer = p + "/" + fieldName(r, "name");
            String name = evalString(nameNode, namePointer);
            if (PLACEHOLDER.matcher(name).matches()) {
                throw new TemplateError(namePointer, "The template resource name '" + ArmNames.shown(name)
                        + "' is a placeholder: replace it (or make it a parameter) before deploying");
            }
            checkName(name, type, namePointer);
            String id = resourceId(ctx.subscriptionId(), ctx.resourceGroup(), CONTAINER_GROUPS, List.of(name));
            if (byId.containsKey(id.toLowerCase(Locale.ROOT))) {
                throw new TemplateError(namePointer,
                        "The resource '" + id + "' is defined multiple times in the template");
            }
            ObjectNode body = Functions.NODES.objectNode();
            for (String f : List.of("location", "tags", "identity", "zones", "properties", "sku", "extendedLocation")) {
                JsonNode v = field(r, f);
                if (v != null) {
                    body.set(f, eval(v, p + "/" + fieldName(r, f)));
                }
            }
            if (!body.has("location")) {
                body.put("location", ctx.location());
            }
            List<String> deps = new ArrayList<>();
            JsonNode dependsOn = field(r, "dependsOn");
            if (dependsOn != null) {
                String dp = p + "/" + fieldName(r, "dependsOn");
                if (!dependsOn.isArray()) {
                    throw new TemplateError(dp, "'dependsOn' must be an array");
                }
                for (int j = 0; j < dependsOn.size(); j++) {
                    deps.add(evalString(dependsOn.get(j), dp + "/" + j) + "\u0000" + dp + "/" + j);
                }
            }
            JsonNode apiVersion = field(r, "apiVersion");
            byId.put(id.toLowerCase(Locale.ROOT), new Resource(ctx.subscriptionId(), ctx.resourceGroup(), name,
                    apiVersion == null ? null : apiVersion.asText(), body, List.of(), p));
            rawDepends.put(id.toLowerCase(Locale.ROOT), deps);
        }
        // resolve dependsOn entries to template resources
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (var e : rawDepends.entrySet()) {
            List<String> resolved = new ArrayList<>();
            for (String raw : e.getValue()) {
                String dep = raw.substring(0, raw.indexOf('\u0000'));
                String pointer = raw.substring(raw.indexOf('\u0000') + 1);
                String target = resolveDependency(dep, byId);
                if (target == null) {
                    throw new TemplateError(pointer, "The resource '" + dep + "' is not defined in the template");
                }
                resolved.add(target);
            }
            edges.put(e.getKey(), resolved);
        }
        List<Resource> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Deque<String> path = new ArrayDeque<>();
        for (String id : byId.keySet()) {
            visit(id, byId, edges, done, path, ordered);
        }
        return ordered;
    }

    /**
     * A resource name is what ARM accepts for its type: one segment per name the type needs (container groups:
     * one), each an ACI name (1–63 lower-case letters, digits or '-'). Nothing that could leave the resource's path
     * gets through: no '/', no '.' or '..', no percent escapes.
     */
    private static void checkName(String name, String type, String pointer) {
        int needed = type.split("/").length - 1;
        String[] segments = name.split("/", -1);
        if (segments.length != needed) {
            throw new TemplateError(pointer, "The template resource name '" + ArmNames.shown(name) + "' has "
                    + segments.length + " segment(s) separated by '/'; the resource type '" + CONTAINER_GROUPS
                    + "' needs " + needed + ": a container group's name is one segment, never a path");
        }
        for (String segment : segments) {
            if (!ACI_NAME.matcher(segment).matches()) {
                throw new TemplateError(pointer, "The template resource name '" + ArmNames.shown(name)
                        + "' is invalid: a container group's name has 1 to 63 lower-case letters, digits or '-',"
                        + " not at either end (no '/', '.', '..' or '%')");
            }
        }
    }

    private void visit(String id, Map<String, Resource> byId, Map<String, List<String>> edges, Set<String> done,
            Deque<String> path, List<Resource> ordered) {
        if (done.contains(id)) {
            return;
        }
        if (path.contains(id)) {
            List<String> cycle = new ArrayList<>();
            for (var it = path.descendingIterator(); it.hasNext();) {
                cycle.add(byId.get(it.next()).name());
            }
            cycle.add(byId.get(id).name());
            throw new TemplateError(byId.get(id).pointer(), "Circular dependency detected on resource: '"
                    + byId.get(id).id() + "' (" + String.join(" -> ", cycle) + ")");
        }
        path.push(id);
        for (String dep : edges.get(id)) {
            visit(dep, byId, edges, done, path, ordered);
        }
        path.pop();
        done.add(id);
        Resource r = byId.get(id);
        ordered.add(new Resource(r.subscription(), r.resourceGroup(), r.name(), r.apiVersion(), r.body(),
                edges.get(id).stream().map(d -> byId.get(d).id()).toList(), r.pointer()));
    }

    private String resolveDependency(String dep, Map<String, Resource> byId) {
        String d = dep.toLowerCase(Locale.ROOT);
        while (d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        if (byId.containsKey(d)) {
            return d;
        }
        for (var e : byId.entrySet()) {
            String name = e.getValue().name().toLowerCase(Locale.ROOT);
            if (d.equals(name) || d.equals(CONTAINER_GROUPS.toLowerCase(Locale.ROOT) + "/" + name)
                    || e.getKey().endsWith("/providers/" + d)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Evaluates the outputs; {@code reference(id)} is answered by {@code references} (the deployed resource). */
    public Map<String, Parameter> outputs(Function<String, JsonNode> references) {
        try {
            return outputsAll(references);
        } catch (TemplateError e) {
            throw scrubbed(e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw scrubbed(new TemplateError(base, String.valueOf(e.getMessage())));
        }
    }

    private Map<String, Parameter> outputsAll(Function<String, JsonNode> references) {
        this.references = references;
        Map<String, Parameter> out = new LinkedHashMap<>();
        JsonNode outputs = section("outputs");
        String op = base + "/" + fieldName(template, "outputs");
        var secure = new SecureOutputs(section("parameters"), section("variables"), secureValues());
        for (var it = outputs.fields(); it.hasNext();) {
            var f = it.next();
            String p = op + "/" + LocatedJson.escape(f.getKey());
            JsonNode decl = f.getValue();
            String type = field(decl, "type") == null ? "string" : field(decl, "type").asText();
            JsonNode value = field(decl, "value");
            JsonNode v = value == null ? Functions.NODES.nullNode() : eval(value, p + "/" + fieldName(decl, "value"));
            boolean hidden = type.toLowerCase(Locale.ROOT).startsWith("secure") || secure.derived(value, v);
            out.put(f.getKey(), new Parameter(f.getKey(), type, v, hidden));
        }
        return out;
    }

    /** The texts of the secure parameters' values (whole and in parts, for objects). */
    private List<String> secureValues() {
        JsonNode declared = section("parameters");
        List<String> out = new ArrayList<>();
        for (var entry : params.entrySet()) {
            JsonNode type = field(declared.get(declaredNames.getOrDefault(entry.getKey(), entry.getKey())), "type");
            if (type != null && type.asText().toLowerCase(Locale.ROOT).startsWith("secure")) {
                out.addAll(secrets(entry.getValue()));
            }
        }
        return out;
    }

    // ---- parameters and variables ----

    private JsonNode parameter(String name) {
        String declaredName = declaredNames.get(name);
        if (declaredName == null) {
            throw new IllegalArgumentException("the template parameter '" + name + "' is not found");
        }
        if (params.containsKey(declaredName)) {
            return params.get(declaredName);
        }
        JsonNode decl = section("parameters").get(declaredName);
        String p = base + "/" + fieldName(template, "parameters") + "/" + LocatedJson.escape(declaredName);
        if (resolving.size() > 64) {
            throw new TemplateError(p, "Variables and parameters refer to each other more than 64 levels deep");
        }
        if (!resolving.add("p:" + declaredName.toLowerCase(Locale.ROOT))) {
            throw new TemplateError(p,
                    "The parameter '" + declaredName + "' refers to itself through its defaultValue");
        }
        try {
            if (!decl.isObject()) {
                throw new TemplateError(p,
                        "The template parameter '" + declaredName + "' must be an object with a 'type'");
            }
            JsonNode typeNode = field(decl, "type");
            if (typeNode == null || !typeNode.isTextual()) {
                throw new TemplateError(p, "The template parameter '" + declaredName + "' has no 'type'");
            }
            String type = typeNode.asText().toLowerCase(Locale.ROOT);
            JsonNode given = field(supplied, declaredName);
            JsonNode value;
            String vp;
            if (given != null) {
                vp = suppliedBase + "/" + LocatedJson.escape(fieldName(supplied, declaredName));
                if (!given.isObject() || field(given, "value") == null) {
                    throw new TemplateError(vp, field(given, "reference") != null
                            ? "Key Vault parameter references are not supported yet"
                            : "The deployment parameter '" + declaredName + "' must be written as {\"value\": ...}");
                }
                value = field(given, "value");
                vp += "/" + fieldName(given, "value");
            } else if (field(decl, "defaultValue") != null) {
                vp = p + "/" + fieldName(decl, "defaultValue");
                value = eval(field(decl, "defaultValue"), vp);
            } else {
                throw new TemplateError(p,
                        "The value for the template parameter '" + declaredName + "' is not provided");
            }
            value = coerce(declaredName, type, value, vp);
            JsonNode allowed = field(decl, "allowedValues");
            if (allowed != null && allowed.isArray() && allowed.size() > 0) {
                boolean ok = false;
                for (JsonNode a : allowed) {
                    ok |= Functions.equal(a, value)
                            || a.isTextual() && value.isTextual() && a.asText().equalsIgnoreCase(value.asText());
                }
                if (!ok) {
                    throw new TemplateError(vp, "The provided value for the template parameter '" + declaredName
                            + "' is not valid. The value must be one of " + allowed
                            + (type.startsWith("secure") ? "" : "; it was " + value));
                }
            }
            checkRange(declaredName, decl, value, vp, type.startsWith("secure"));
            params.put(declaredName, value);
            return value;
        } finally {
            resolving.remove("p:" + declaredName.toLowerCase(Locale.ROOT));
        }
    }

    private static JsonNode coerce(String name, String type, JsonNode v, String pointer) {
        try {
            return switch (type) {
                case "string", "securestring" -> {
                    if (v.isContainerNode() || v.isNull()) {
                        throw new IllegalArgumentException("x");
                    }
                    yield v.isTextual() ? v : Functions.text(v.asText());
                }
                case "int" -> Functions.NODES.numberNode(Functions.toLong(v));
                case "bool" -> Functions.bool(Functions.toBool(v));
                case "object", "secureobject" -> {
                    if (!v.isObject()) {
                        throw new IllegalArgumentException("x");
                    }
                    yield v;
                }
                case "array" -> {
                    if (!v.isArray()) {
                        throw new IllegalArgumentException("x");
                    }
                    yield v;
                }
                default ->
                    throw new TemplateError(pointer, "The template parameter '" + name + "' has the unknown type '"
                            + type + "'; use string, securestring, int, bool, object, secureObject or array");
            };
        } catch (IllegalArgumentException e) {
            throw new TemplateError(pointer,
                    "Template parameter '" + name + "' was provided an invalid value. Expected a"
                            + " value of type '" + type + "'"
                            + (type.startsWith("secure") ? "" : ", got " + Functions.describe(v)));
        }
    }

    private static void checkRange(String name, JsonNode decl, JsonNode value, String vp, boolean secure) {
        JsonNode min = field(decl, "minValue");
        JsonNode max = field(decl, "maxValue");
        if (value.isNumber()
                && (min != null && value.asLong() < min.asLong() || max != null && value.asLong() > max.asLong())) {
            throw new TemplateError(vp, "The value of the template parameter '" + name + "' must be between "
                    + (min == null ? "-inf" : min.asText()) + " and " + (max == null ? "inf" : max.asText()));
        }
        JsonNode minLen = field(decl, "minLength");
        JsonNode maxLen = field(decl, "maxLength");
        int len = value.isTextual() ? value.asText().length() : value.isArray() ? value.size() : -1;
        if (len >= 0 && (minLen != null && len < minLen.asInt() || maxLen != null && len > maxLen.asInt())) {
            throw new TemplateError(vp, "The length of the template parameter '" + name + "' must be between "
                    + (minLen == null ? "0" : minLen.asText()) + " and " + (maxLen == null ? "inf" : maxLen.asText())
                    + (secure ? "" : "; it is " + len));
        }
    }

    private JsonNode variable(String name) {
        JsonNode variables = section("variables");
        String declared = null;
        for (var it = variables.fieldNames(); it.hasNext();) {
            String n = it.next();
            if (n.equalsIgnoreCase(name)) {
                declared = n;
            }
        }
        if (declared == null) {
            throw new IllegalArgumentException("the template variable '" + name + "' is not found");
        }
        if (vars.containsKey(declared)) {
            return vars.get(declared);
        }
        String p = base + "/" + fieldName(template, "variables") + "/" + LocatedJson.escape(declared);
        if (declared.equalsIgnoreCase("copy")) {
            throw new TemplateError(p, "Variable copy loops are not supported yet");
        }
        if (resolving.size() > 64) {
            throw new TemplateError(p, "Variables and parameters refer to each other more than 64 levels deep");
        }
        if (!resolving.add("v:" + declared.toLowerCase(Locale.ROOT))) {
            throw new TemplateError(p, "The variable '" + declared + "' refers to itself");
        }
        try {
            JsonNode v = eval(variables.get(declared), p);
            vars.put(declared, v);
            return v;
        } finally {
            resolving.remove("v:" + declared.toLowerCase(Locale.ROOT));
        }
    }

    // ---- evaluation ----

    /** Evaluates every expression string inside {@code node}. */
    JsonNode eval(JsonNode node, String pointer) {
        if (node.isTextual()) {
            String s = node.asText();
            if (!Expression.isExpression(s)) {
                return s.startsWith("[[") ? Functions.text(Expression.literal(s)) : node;
            }
            String saved = currentPointer;
            currentPointer = pointer;
            try {
                return evaluate(Expression.parse(s));
            } catch (TemplateError e) {
                throw e;
            } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
                throw new TemplateError(pointer, "The template language expression '" + abbreviated(s)
                        + "' is not valid: " + e.getMessage());
            } finally {
                currentPointer = saved;
            }
        }
        if (node.isObject()) {
            ObjectNode out = Functions.NODES.objectNode();
            for (var it = node.fields(); it.hasNext();) {
                var f = it.next();
                String key = f.getKey();
                if (Expression.isExpression(key)) {
                    key = Functions.str(eval(Functions.text(key), pointer));
                }
                out.set(key, eval(f.getValue(), pointer + "/" + LocatedJson.escape(f.getKey())));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Functions.NODES.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(eval(node.get(i), pointer + "/" + i));
            }
            return out;
        }
        return node;
    }

    /** An expression as an error quotes it: the start of a long one is enough to find it (with the pointer). */
    private static String abbreviated(String expression) {
        return expression.length() <= 240 ? expression : expression.substring(0, 240) + "…";
    }

    String evalString(JsonNode node, String pointer) {
        JsonNode v = eval(node, pointer);
        if (!v.isValueNode() || v.isNull()) {
            throw new TemplateError(pointer, "Expected a string, got " + Functions.describe(v));
        }
        return v.asText();
    }

    private JsonNode evaluate(Expression e) {
        if (e instanceof Expression.Literal l) {
            Object v = l.value();
            if (v == null) {
                return Functions.NODES.nullNode();
            }
            if (v instanceof String s) {
                return Functions.text(s);
            }
            if (v instanceof Boolean b) {
                return Functions.bool(b);
            }
            return v instanceof Long n ? Functions.NODES.numberNode(n) : Functions.NODES.numberNode((Double) v);
        }
        if (e instanceof Expression.Property p) {
            JsonNode target = evaluate(p.target());
            JsonNode v = field(target, p.name());
            if (v == null) {
                List<String> names = new ArrayList<>();
                if (target.isObject()) {
                    target.fieldNames().forEachRemaining(names::add);
                }
                throw new IllegalArgumentException("the language expression property '" + p.name()
                        + "' doesn't exist, available properties are '" + String.join(", ", names) + "'");
            }
            return v;
        }
        if (e instanceof Expression.Index i) {
            JsonNode target = evaluate(i.target());
            JsonNode index = evaluate(i.index());
            if (target.isArray()) {
                long n = Functions.toLong(index);
                if (n < 0 || n >= target.size()) {
                    throw new IllegalArgumentException(
                            "the index " + n + " is out of range (length " + target.size() + ")");
                }
                return target.get((int) n);
            }
            JsonNode v = field(target, Functions.str(index));
            if (v == null) {
                throw new IllegalArgumentException("the property '" + index.asText() + "' doesn't exist");
            }
            return v;
        }
        return call((Expression.Call) e);
    }

    /**
     * A function's result, bounded: its arguments and its result at most {@link Functions#MAX_VALUE} each, and all
     * results of one deployment together at most {@link #MAX_PRODUCED}, so evaluation time and memory follow the
     * size of the request, not what its expressions can multiply it to.
     */
    private JsonNode call(Expression.Call c) {
        JsonNode result = unboundedCall(c);
        long size = Functions.size(result, Functions.MAX_VALUE);
        if (size > Functions.MAX_VALUE) {
            throw Functions.tooLong(c.function());
        }
        produced += size;
        if (produced > MAX_PRODUCED) {
            throw new IllegalArgumentException("the template's expressions produce more than " + MAX_PRODUCED
                    + " characters in all");
        }
        return result;
    }

    private JsonNode unboundedCall(Expression.Call c) {
        String fn = c.function().toLowerCase(Locale.ROOT);
        if (fn.equals("if")) {
            if (c.args().size() != 3) {
                throw new IllegalArgumentException("the function 'if' takes 3 arguments, not " + c.args().size());
            }
            return Functions.toBool(evaluate(c.args().get(0))) ? evaluate(c.args().get(1)) : evaluate(c.args().get(2));
        }
        List<JsonNode> args = new ArrayList<>();
        long argsSize = 0;
        for (Expression a : c.args()) {
            JsonNode v = evaluate(a);
            argsSize += Functions.size(v, Functions.MAX_VALUE);
            if (argsSize > Functions.MAX_VALUE) {
                throw Functions.tooLong(c.function());
            }
            args.add(v);
        }
        switch (fn) {
            case "parameters" -> {
                return parameter(Functions.str(Functions.arg(args, 0, 1, "parameters")));
            }
            case "variables" -> {
                return variable(Functions.str(Functions.arg(args, 0, 1, "variables")));
            }
            case "resourcegroup" -> {
                ObjectNode rg = Functions.NODES.objectNode();
                rg.put("id", "/subscriptions/" + ctx.subscriptionId() + "/resourceGroups/" + ctx.resourceGroup());
                rg.put("name", ctx.resourceGroup());
                rg.put("type", "Microsoft.Resources/resourceGroups");
                rg.put("location", ctx.location());
                rg.putObject("properties").put("provisioningState", "Succeeded");
                return rg;
            }
            case "subscription" -> {
                ObjectNode s = Functions.NODES.objectNode();
                s.put("id", "/subscriptions/" + ctx.subscriptionId());
                s.put("subscriptionId", ctx.subscriptionId());
                s.put("tenantId", ctx.tenantId());
                s.put("displayName", ctx.subscriptionId());
                return s;
            }
            case "deployment" -> {
                ObjectNode d = Functions.NODES.objectNode();
                d.put("name", ctx.deploymentName());
                ObjectNode props = d.putObject("properties");
                props.put("mode", ctx.mode());
                JsonNode cv = field(template, "contentVersion");
                props.putObject("template").put("contentVersion", cv == null ? "1.0.0.0" : cv.asText());
                return d;
            }
            case "resourceid" -> {
                return Functions.text(resourceIdFunction(args));
            }
            case "reference" -> {
                if (references == null) {
                    throw new IllegalArgumentException("reference() can be used in outputs only (here a deployed"
                            + " resource is not known yet)");
                }
                if (args.isEmpty() || args.size() > 3) {
                    throw new IllegalArgumentException("the function 'reference' takes 1 to 3 arguments");
                }
                String ref = Functions.str(args.get(0));
                boolean full = args.size() == 3 && Functions.str(args.get(2)).equalsIgnoreCase("Full");
                JsonNode resource = references.apply(ref.contains("/")
                        ? ref
                        : resourceId(ctx.subscriptionId(), ctx.resourceGroup(), CONTAINER_GROUPS, List.of(ref)));
                if (resource == null) {
                    throw new IllegalArgumentException("the resource '" + ref + "' was not deployed by this template");
                }
                JsonNode props = resource.get("properties");
                return full ? resource : props == null ? Functions.NODES.objectNode() : props;
            }
            case "listkeys", "listsecrets", "list" -> throw new IllegalArgumentException("'" + c.function()
                    + "' is not supported: this deployment engine deploys container groups only");
            default -> {
                JsonNode r = Functions.call(fn, args);
                if (r == null) {
                    throw new IllegalArgumentException("the template function '" + c.function() + "' is not valid");
                }
                return r;
            }
        }
    }

    private String resourceIdFunction(List<JsonNode> args) {
        List<String> a = args.stream().map(Functions::str).toList();
        int typeAt = -1;
        for (int i = 0; i < Math.min(3, a.size()); i++) {
            if (a.get(i).contains("/") && !a.get(i).startsWith("/")) {
                typeAt = i;
                break;
            }
        }
        if (typeAt < 0 || a.size() <= typeAt + 1) {
            throw new IllegalArgumentException("resourceId() takes [subscriptionId], [resourceGroupName], a resource"
                    + " type such as 'Microsoft.ContainerInstance/containerGroups' and the resource name(s)");
        }
        String sub = typeAt == 2 ? a.get(0) : ctx.subscriptionId();
        String rg = typeAt >= 1 ? a.get(typeAt - 1) : ctx.resourceGroup();
        return resourceId(sub, rg, a.get(typeAt), a.subList(typeAt + 1, a.size()));
    }

    static String resourceId(String sub, String rg, String type, List<String> names) {
        String t = type;
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        String[] segments = t.split("/");
        if (segments.length - 1 != names.size()) {
            throw new IllegalArgumentException("the resource type '" + type + "' needs " + (segments.length - 1)
                    + " name(s), got " + names.size());
        }
        StringBuilder sb = new StringBuilder("/subscriptions/").append(sub).append("/resourceGroups/").append(rg)
                .append("/providers/").append(segments[0]);
        for (int i = 1; i < segments.length; i++) {
            sb.append('/').append(segments[i]).append('/').append(names.get(i - 1));
        }
        return sb.toString();
    }
}
