package io.ivrflow.wazo.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks HTTP requests against one Wazo service's Swagger 2.0 spec, so that a fake Wazo server can refuse what the
 * real one would refuse. Everything is compiled at {@link #load}; {@link #validate} only walks the compiled rules.
 *
 * <p>The spec is read as the real service serves it, with the known differences between spec and code patched in
 * before compilation ({@link #applyKnownDrifts}). Spec quirks handled here, and why:
 * <ul>
 *   <li>calld {@code DELETE /applications/{application_uuid}/nodes/{node_uuid}} is marked "Not implemented" but is
 *       implemented (wazo.md §11): the spec declares it, and should a spec lack it, it is added.</li>
 *   <li>calld {@code digits} (the {@code DTMFDigits} parameter of the three {@code .../dtmf} routes) has no pattern in
 *       the spec; the server's schemas apply {@code ^[0-9*#]+$}.</li>
 *   <li>calld {@code ApplicationPlayback} lists no required field, yet the server requires {@code uri}; a node needs
 *       at least one call, each with an {@code id}; originate requests need a non-empty {@code exten}, string-valued
 *       {@code variables} and caller ids of at most 256 characters; a snoop's {@code whisper_mode} is optional
 *       (defaults to {@code none}) although the spec requires it ({@code applications/schemas.py}).</li>
 *   <li>auth {@code POST /token}: the spec requires HTTP Basic, but a body with {@code refresh_token} or
 *       {@code saml_session_id} authenticates without it; the body is read with {@code get_json(force=True)}, so it is
 *       required although the spec says optional; {@code expiration} must be at least 1.</li>
 *   <li>auth {@code Wazo-Session-Type}: the spec enumerates {@code mobile|desktop}, but the server lower-cases it and
 *       treats any other value as desktop, so the enum is not enforced.</li>
 *   <li>confd {@code PUT} bodies are loaded with {@code partial=True} (the spec's own description says "all fields
 *       become optional"), so {@code required} is not enforced in them; {@code limit} and {@code offset} must be
 *       {@code >= 0}; an application's {@code name}, {@code destination} and
 *       {@code destination_options.music_on_hold} may be {@code null}.</li>
 *   <li>confd's IVR choice {@code exten} pattern lacks a {@code ^} on its second alternative. Wazo applies patterns with
 *       Python's {@code re.match}, anchored at the start only, so every pattern here is applied the same way
 *       ({@link Matcher#lookingAt}) rather than with JSON Schema's unanchored search.</li>
 *   <li>confd {@code DestinationType} lists each destination kind as a property, while real payloads are
 *       {@code {"type": ..., ...}}: with no {@code additionalProperties: false} such payloads pass, as on the server.</li>
 *   <li>confd {@code BlocklistNumbersListResponse} is an {@code allOf} that includes itself: the self-reference adds no
 *       constraint and is skipped. confd meeting authorizations declare a {@code guest_uuid} path parameter absent from
 *       their path template: parameters missing from the template are ignored.</li>
 *   <li>dird (and others) list {@code readOnly} properties as {@code required}, sometimes from another member of an
 *       {@code allOf}: Swagger 2.0 says they must not be sent in requests, so they are neither required nor checked.</li>
 * </ul>
 * Like Flask, a {@code HEAD} request is served by the {@code GET} operation when the path declares no {@code head}.
 * Formats other than {@code uuid} are not checked; {@code x-*} extensions are ignored except {@code x-nullable}.
 */
public final class SwaggerRequestValidator {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");

    /** Set by {@link #applyKnownDrifts} on an operation whose security is lifted by the presence of body fields. */
    private static final String SECURITY_WAIVED_BY_BODY_FIELDS = "x-security-waived-by-body-fields";
    /** Set by {@link #applyKnownDrifts} on an operation whose body the server loads as a partial update. */
    private static final String PARTIAL_BODY = "x-partial-body";

    private final String service;
    private final String basePath;
    private final PathNode routes = new PathNode();

    private SwaggerRequestValidator(ObjectNode spec) {
        this.service = spec.path("x-xivo-name").asText(spec.path("info").path("title").asText("?"));
        String base = spec.path("basePath").asText("");
        this.basePath = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        applyKnownDrifts(spec, service);
        new Compiler(spec).compileRoutes(routes);
    }

    /** Parses one Swagger 2.0 YAML file (basePath, paths, parameters incl. path-level and $ref'd global `parameters:`, definitions, security). */
    public static SwaggerRequestValidator load(Path specFile) {
        JsonNode spec;
        try {
            spec = YAML.readTree(specFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Swagger spec " + specFile, e);
        }
        if (!(spec instanceof ObjectNode object) || !"2.0".equals(spec.path("swagger").asText())) {
            throw new IllegalArgumentException(specFile + " is not a Swagger 2.0 spec");
        }
        return new SwaggerRequestValidator(object);
    }

    /** The spec's basePath, e.g. "/1.0". */
    public String basePath() {
        return basePath;
    }

    /**
     * "METHOD /template" of the operation that matches, or null (e.g. "POST
     * /applications/{application_uuid}/calls/{call_id}/playbacks"). A HEAD the path does not declare gives its GET.
     */
    public String operation(String method, String path) {
        Resolution resolution = resolve(method, path);
        return resolution.operation == null ? null : resolution.operation.label;
    }

    /**
     * Violations of the spec by one request; empty list = valid. `path` is the full request path as received
     * (starts with basePath, no query string, percent-encoded as on the wire); `rawQuery` may be null;
     * header names are case-insensitive; body may be null or empty.
     * Each violation is a human-readable sentence naming method, path template and the problem.
     */
    public List<String> validate(String method, String path, String rawQuery,
                                 Map<String, List<String>> headers, byte[] body) {
        Resolution resolution = resolve(method, path);
        if (resolution.operation == null) {
            return List.of(resolution.problem);
        }
        Operation operation = resolution.operation;
        Request request = new Request(headers == null ? Map.of() : headers, parseQuery(rawQuery), body);
        List<String> problems = new ArrayList<>(0);
        if (request.query == null) {
            problems.add("malformed query string '" + rawQuery + "'");
            request = new Request(request.headers, Map.of(), body);
        }
        operation.check(resolution.segments, request, problems);
        if (problems.isEmpty()) {
            return List.of();
        }
        // allOf members may report the same fault as their parent
        return new LinkedHashSet<>(problems).stream().map(p -> operation.label + ": " + p).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Known drifts between the specs and the real services: patches to the parsed spec (see the class comment).

    private static void applyKnownDrifts(ObjectNode spec, String service) {
        switch (service) {
            case "calld" -> {
                ObjectNode digits = object(spec.path("parameters").path("DTMFDigits"));
                if (digits != null) {
                    digits.put("pattern", "^[0-9*#]+$");
                }
                ObjectNode node = object(spec.path("paths").path("/applications/{application_uuid}/nodes/{node_uuid}"));
                if (node != null && !node.has("delete")) {
                    ObjectNode delete = node.putObject("delete");
                    delete.set("parameters", node.path("get").path("parameters").deepCopy());
                }
                constrainBody(spec, "post", "/applications/{application_uuid}/calls/{call_id}/playbacks",
                        "{\"required\": [\"uri\"]}");
                constrainBody(spec, "post", "/applications/{application_uuid}/nodes",
                        "{\"required\": [\"calls\"], \"properties\": {\"calls\": {\"minItems\": 1, \"items\": {\"required\": [\"id\"]}}}}");
                String callRequest = "{\"properties\": {\"variables\": {\"additionalProperties\": {\"type\": \"string\"}},"
                        + " \"displayed_caller_id_name\": {\"maxLength\": 256}, \"displayed_caller_id_number\": {\"maxLength\": 256}}}";
                constrainDefinition(spec, "ApplicationCallRequestToExten",
                        callRequest.replace("{\"properties\": {", "{\"properties\": {\"exten\": {\"minLength\": 1}, "));
                constrainDefinition(spec, "ApplicationCallRequestToUser", callRequest);
                ObjectNode snoop = bodyParameter(spec, "post", "/applications/{application_uuid}/calls/{call_id}/snoops");
                JsonNode snoopDefinition = spec.path("definitions").path("ApplicationSnoop");
                if (snoop != null && snoopDefinition.isObject()) {
                    ObjectNode relaxed = snoopDefinition.deepCopy();
                    relaxed.putArray("required").add("snooping_call_id");
                    snoop.set("schema", relaxed);
                }
            }
            case "auth" -> {
                ObjectNode token = object(spec.path("paths").path("/token").path("post"));
                if (token != null) {
                    token.putArray(SECURITY_WAIVED_BY_BODY_FIELDS).add("refresh_token").add("saml_session_id");
                }
                ObjectNode tokenBody = bodyParameter(spec, "post", "/token");
                if (tokenBody != null) {
                    tokenBody.put("required", true);
                }
                constrainBody(spec, "post", "/token", "{\"properties\": {\"expiration\": {\"minimum\": 1}}}");
                ObjectNode sessionType = object(spec.path("parameters").path("wazo_session_type"));
                if (sessionType != null) {
                    sessionType.remove("enum");
                }
            }
            case "confd" -> {
                spec.path("paths").forEach(item -> {
                    ObjectNode put = object(item.path("put"));
                    if (put != null) {
                        put.put(PARTIAL_BODY, true);
                    }
                });
                for (String name : List.of("limit", "offset")) {
                    ObjectNode parameter = object(spec.path("parameters").path(name));
                    if (parameter != null) {
                        parameter.put("minimum", 0);
                    }
                }
                markNullable(spec, "ApplicationRelationBase", "name");
                markNullable(spec, "Application", "destination");
                markNullable(spec, "ApplicationDestinationNode", "music_on_hold");
            }
            default -> { }
        }
    }

    private static ObjectNode object(JsonNode node) {
        return node instanceof ObjectNode o ? o : null;
    }

    /** The inline body parameter of an operation, or null. */
    private static ObjectNode bodyParameter(ObjectNode spec, String method, String path) {
        for (JsonNode parameter : spec.path("paths").path(path).path(method).path("parameters")) {
            if ("body".equals(parameter.path("in").asText())) {
                return object(parameter);
            }
        }
        return null;
    }

    /** Adds constraints to an operation's body schema, leaving shared definitions (also used by responses) alone. */
    private static void constrainBody(ObjectNode spec, String method, String path, String extraSchema) {
        ObjectNode body = bodyParameter(spec, method, path);
        if (body != null) {
            body.set("schema", allOf(body.path("schema"), extraSchema));
        }
    }

    /** Adds constraints to a definition that only requests use. */
    private static void constrainDefinition(ObjectNode spec, String name, String extraSchema) {
        ObjectNode definitions = object(spec.path("definitions"));
        if (definitions != null && definitions.has(name)) {
            definitions.set(name, allOf(definitions.get(name), extraSchema));
        }
    }

    private static ObjectNode allOf(JsonNode schema, String extraSchema) {
        ObjectNode combined = NODES.objectNode();
        try {
            combined.putArray("allOf").add(schema.deepCopy()).add(JSON.readTree(extraSchema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad drift schema " + extraSchema, e);
        }
        return combined;
    }

    /** Marks a definition's property (declared directly or in an inline allOf member) as accepting null. */
    private static void markNullable(ObjectNode spec, String definition, String property) {
        JsonNode schema = spec.path("definitions").path(definition);
        List<JsonNode> candidates = new ArrayList<>();
        candidates.add(schema);
        schema.path("allOf").forEach(candidates::add);
        for (JsonNode candidate : candidates) {
            ObjectNode target = object(candidate.path("properties").path(property));
            if (target != null) {
                target.put("x-nullable", true);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routing: a trie of path segments; literal segments are tried before templated ones, as werkzeug ranks rules.

    private static final class PathNode {
        final Map<String, PathNode> literals = new HashMap<>();
        PathNode template;
        final List<Route> routes = new ArrayList<>(1);
    }

    /** One path template and its operations by upper-case method. */
    private static final class Route {
        final String template;
        final Map<String, Integer> segmentOfParameter = new HashMap<>();
        final Map<String, Operation> operations = new LinkedHashMap<>();

        Route(String template) {
            this.template = template;
        }
    }

    private record Resolution(Operation operation, String[] segments, String problem) {
    }

    private Resolution resolve(String method, String path) {
        String verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String where = verb + " " + path;
        if (path == null || !path.startsWith(basePath + "/")) {
            return new Resolution(null, null, where + ": not under the " + service + " basePath " + basePath);
        }
        String[] segments = path.substring(basePath.length() + 1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = percentDecode(segments[i]);
            if (segments[i] == null) {
                return new Resolution(null, null, where + ": malformed percent-encoding in the path");
            }
        }
        List<Route> candidates = new ArrayList<>(2);
        collectRoutes(routes, segments, 0, candidates);
        if (candidates.isEmpty()) {
            return new Resolution(null, null, where + ": no path of the " + service + " spec matches");
        }
        for (Route route : candidates) {
            Operation operation = route.operations.get(verb);
            if (operation == null && verb.equals("HEAD")) {
                operation = route.operations.get("GET");
            }
            if (operation != null) {
                return new Resolution(operation, segments, null);
            }
        }
        Route best = candidates.get(0);
        return new Resolution(null, null, verb + " " + best.template + ": method not allowed by the " + service
                + " spec (allowed: " + String.join(", ", best.operations.keySet()) + ")");
    }

    private static void collectRoutes(PathNode node, String[] segments, int index, List<Route> found) {
        if (index == segments.length) {
            found.addAll(node.routes);
            return;
        }
        String segment = segments[index];
        PathNode literal = node.literals.get(segment);
        if (literal != null) {
            collectRoutes(literal, segments, index + 1, found);
        }
        if (node.template != null && !segment.isEmpty()) {
            collectRoutes(node.template, segments, index + 1, found);
        }
    }

    /** Decodes %XX sequences as UTF-8 ('+' stays itself in a path); null when malformed. */
    private static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Name to values in order; null when the query is malformed. */
    private static Map<String, List<String>> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> query = new HashMap<>();
        try {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return query;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Compiled operations

    private record Request(Map<String, List<String>> headers, Map<String, List<String>> query, byte[] body) {

        /** First value of a header, names compared case-insensitively; null when absent. */
        String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (name.equalsIgnoreCase(entry.getKey()) && entry.getValue() != null && !entry.getValue().isEmpty()) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }

        boolean hasBody() {
            if (body == null) {
                return false;
            }
            for (byte b : body) {
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return true;
                }
            }
            return false;
        }
    }

    private enum Location { PATH, QUERY, HEADER, FORM }

    /** A non-body parameter: its raw text is converted to the declared type, then checked against its schema. */
    private record Parameter(String name, Location in, boolean required, String type, String collectionFormat,
                             String itemsType, Schema schema) {

        String describe() {
            return switch (in) {
                case PATH -> "path parameter '" + name + "'";
                case QUERY -> "query parameter '" + name + "'";
                case HEADER -> "header '" + name + "'";
                case FORM -> "form field '" + name + "'";
            };
        }

        void check(List<String> values, List<String> problems) {
            String where = describe();
            JsonNode value;
            if ("array".equals(type)) {
                List<String> items = "multi".equals(collectionFormat) ? values : split(values.get(0));
                ArrayNode array = NODES.arrayNode(items.size());
                for (String item : items) {
                    JsonNode converted = convert(item, itemsType, where + " item", problems);
                    if (converted == null) {
                        return;
                    }
                    array.add(converted);
                }
                value = array;
            } else {
                // like Flask's request.args.get: the first occurrence is the one read
                value = convert(values.get(0), type, where, problems);
                if (value == null) {
                    return;
                }
            }
            schema.validate(value, where, problems);
        }

        private List<String> split(String raw) {
            String separator = switch (collectionFormat == null ? "csv" : collectionFormat) {
                case "ssv" -> " ";
                case "tsv" -> "\t";
                case "pipes" -> "|";
                default -> ",";
            };
            return raw.isEmpty() ? List.of() : List.of(raw.split(Pattern.quote(separator), -1));
        }

        private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
        // marshmallow's Boolean truthy and falsy strings, which Wazo uses to read boolean parameters
        private static final Set<String> TRUE = Set.of("true", "t", "on", "y", "yes", "1");
        private static final Set<String> FALSE = Set.of("false", "f", "off", "n", "no", "0");

        private static JsonNode convert(String raw, String type, String where, List<String> problems) {
            if (type == null) {
                return TextNode.valueOf(raw);
            }
            switch (type) {
                case "integer":
                    if (INTEGER.matcher(raw).matches()) {
                        return NODES.numberNode(new BigInteger(raw));
                    }
                    problems.add(where + " must be an integer, got '" + raw + "'");
                    return null;
                case "number":
                    try {
                        return DecimalNode.valueOf(new BigDecimal(raw));
                    } catch (NumberFormatException e) {
                        problems.add(where + " must be a number, got '" + raw + "'");
                        return null;
                    }
                case "boolean":
                    String lower = raw.toLowerCase(Locale.ROOT);
                    if (TRUE.contains(lower) || FALSE.contains(lower)) {
                        return BooleanNode.valueOf(TRUE.contains(lower));
                    }
                    problems.add(where + " must be a boolean, got '" + raw + "'");
                    return null;
                default:
                    return TextNode.valueOf(raw);
            }
        }
    }

    private record SecurityScheme(String name, String type, String in, String keyName) {

        boolean satisfiedBy(Request request) {
            if ("basic".equals(type)) {
                return isBasicCredentials(request.header("Authorization"));
            }
            if ("apiKey".equals(type)) {
                String value;
                if ("query".equals(in)) {
                    List<String> values = request.query.get(keyName);
                    value = values == null ? null : values.get(0);
                } else {
                    value = request.header(keyName);
                }
                return value != null && !value.isBlank();
            }
            return true; // oauth2 and the like are not used by Wazo: nothing to check
        }

        String describe() {
            if ("basic".equals(type)) {
                return "an HTTP Basic 'Authorization' header (security " + name + ")";
            }
            return "a non-empty " + keyName + " " + ("query".equals(in) ? "query parameter" : "header")
                    + " (security " + name + ")";
        }

        /** As wazo-auth reads it: "Basic " then base64 of "login:password". */
        private static boolean isBasicCredentials(String authorization) {
            if (authorization == null || !authorization.startsWith("Basic ")) {
                return false;
            }
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon > 0 && colon < decoded.length() - 1;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    private static final class Operation {
        final String label;
        final List<Parameter> pathParameters = new ArrayList<>();
        final List<Integer> pathSegments = new ArrayList<>();
        final List<Parameter> queryParameters = new ArrayList<>();
        final List<Parameter> headerParameters = new ArrayList<>();
        final List<Parameter> formParameters = new ArrayList<>();
        /** Alternatives (any one suffices) of schemes (all needed); empty = no authentication. */
        final List<List<SecurityScheme>> security = new ArrayList<>();
        final Set<String> securityWaivedByBodyFields = new HashSet<>();
        final List<String> consumes = new ArrayList<>();
        Schema body;
        boolean bodyRequired;

        Operation(String label) {
            this.label = label;
        }

        void check(String[] segments, Request request, List<String> problems) {
            for (int i = 0; i < pathParameters.size(); i++) {
                pathParameters.get(i).check(List.of(segments[pathSegments.get(i)]), problems);
            }
            checkPresent(queryParameters, request.query, problems);
            for (Parameter parameter : headerParameters) {
                String value = request.header(parameter.name);
                if (value != null) {
                    parameter.check(List.of(value), problems);
                } else if (parameter.required) {
                    problems.add("missing required " + parameter.describe());
                }
            }
            JsonNode json = checkBody(request, problems);
            checkSecurity(request, json, problems);
        }

        private static void checkPresent(List<Parameter> parameters, Map<String, List<String>> values,
                                         List<String> problems) {
            for (Parameter parameter : parameters) {
                List<String> given = values.get(parameter.name);
                if (given != null) {
                    parameter.check(given, problems);
                } else if (parameter.required) {
                    problems.add("missing required " + parameter.describe());
                }
            }
        }

        /** Checks the body; returns it parsed when it is JSON, else null. */
        private JsonNode checkBody(Request request, List<String> problems) {
            if (body == null && formParameters.isEmpty()) {
                return null; // the server does not read a body here, whatever is sent
            }
            String contentType = request.header("Content-Type");
            String mediaType = contentType == null ? null
                    : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!formParameters.isEmpty()) {
                checkForm(request, mediaType, problems);
                return null;
            }
            if (!request.hasBody()) {
                if (bodyRequired) {
                    problems.add("missing required request body");
                }
                return null;
            }
            if (mediaType != null && !accepts(mediaType)) {
                problems.add("Content-Type '" + contentType + "' is not one the operation consumes " + consumesList());
                return null;
            }
            boolean json = mediaType == null ? consumesJson() : isJson(mediaType);
            if (!json) {
                return null; // a consumed non-JSON type (audio, CSV, octet-stream): the body is opaque here
            }
            JsonNode value;
            try {
                value = JSON.readTree(request.body);
            } catch (JsonProcessingException e) {
                problems.add("body is not valid JSON: " + e.getOriginalMessage());
                return null;
            } catch (IOException e) {
                problems.add("body is not valid JSON: " + e.getMessage());
                return null;
            }
            body.validate(value, "body", problems);
            return value;
        }

        private void checkForm(Request request, String mediaType, List<String> problems) {
            Set<String> names = new HashSet<>();
            if (request.body != null && mediaType != null) {
                String text = new String(request.body, StandardCharsets.ISO_8859_1);
                if (mediaType.equals("multipart/form-data")) {
                    Matcher part = MULTIPART_NAME.matcher(text);
                    while (part.find()) {
                        names.add(part.group(1));
                    }
                } else if (mediaType.equals("application/x-www-form-urlencoded")) {
                    Map<String, List<String>> fields = parseQuery(text);
                    if (fields != null) {
                        names.addAll(fields.keySet());
                    }
                } else {
                    problems.add("Content-Type '" + mediaType + "' is not one the operation consumes " + consumesList());
                    return;
                }
            }
            for (Parameter parameter : formParameters) {
                if (parameter.required && !names.contains(parameter.name)) {
                    problems.add("missing required " + parameter.describe());
                }
            }
        }

        private static final Pattern MULTIPART_NAME = Pattern.compile(
                "(?im)^content-disposition:\\s*form-data;[^\\r\\n]*?\\bname=\"([^\"]*)\"");

        private void checkSecurity(Request request, JsonNode json, List<String> problems) {
            if (security.isEmpty()) {
                return;
            }
            if (json != null && json.isObject()) {
                for (String field : securityWaivedByBodyFields) {
                    if (json.hasNonNull(field)) {
                        return;
                    }
                }
            }
            for (List<SecurityScheme> alternative : security) {
                if (alternative.stream().allMatch(scheme -> scheme.satisfiedBy(request))) {
                    return;
                }
            }
            problems.add("not authenticated: needs " + security.stream()
                    .map(alternative -> alternative.stream().map(SecurityScheme::describe)
                            .collect(Collectors.joining(" and ")))
                    .collect(Collectors.joining(" or ")));
        }

        private boolean accepts(String mediaType) {
            if (consumes.isEmpty()) {
                return isJson(mediaType);
            }
            return consumes.contains(mediaType) || consumes.contains("*/*");
        }

        private boolean consumesJson() {
            return consumes.isEmpty() || consumes.stream().anyMatch(Operation::isJson);
        }

        private String consumesList() {
            return consumes.isEmpty() ? "[application/json]" : consumes.toString();
        }

        private static boolean isJson(String mediaType) {
            return mediaType.equals("application/json") || mediaType.endsWith("+json");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Compiled schemas: the Swagger 2.0 subset of JSON Schema draft 4 that the Wazo specs use.

    private static final class Schema {
        static final Schema ANY = new Schema();
        private static final Pattern UUID = Pattern.compile(
                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

        Set<String> types;
        boolean nullable;
        List<Schema> allOf = List.of();
        Map<String, Schema> properties = Map.of();
        /** readOnly properties: Swagger 2.0 forbids sending them and Wazo drops them, so they are not checked. */
        Set<String> ignoredProperties = Set.of();
        List<String> required = List.of();
        Schema additionalProperties;
        boolean additionalPropertiesForbidden;
        Integer minProperties;
        Integer maxProperties;
        Schema items;
        Integer minItems;
        Integer maxItems;
        boolean uniqueItems;
        List<JsonNode> enumValues;
        Pattern pattern;
        Integer minLength;
        Integer maxLength;
        BigDecimal minimum;
        BigDecimal maximum;
        boolean exclusiveMinimum;
        boolean exclusiveMaximum;
        boolean uuid;

        void validate(JsonNode value, String where, List<String> problems) {
            if (value.isNull() && nullable) {
                return;
            }
            if (types != null && !hasType(value)) {
                problems.add(where + " must be " + String.join(" or ", types) + ", got " + describe(value));
                return;
            }
            for (Schema member : allOf) {
                member.validate(value, where, problems);
            }
            if (enumValues != null && enumValues.stream().noneMatch(allowed -> sameValue(allowed, value))) {
                problems.add(where + " must be one of " + enumValues + ", got " + value);
            }
            if (value.isObject()) {
                validateObject(value, where, problems);
            } else if (value.isArray()) {
                validateArray(value, where, problems);
            } else if (value.isTextual()) {
                validateString(value.textValue(), where, problems);
            } else if (value.isNumber()) {
                validateNumber(value.decimalValue(), where, problems);
            }
        }

        private void validateObject(JsonNode value, String where, List<String> problems) {
            for (String name : required) {
                if (!value.has(name)) {
                    problems.add(where + " is missing required property '" + name + "'");
                }
            }
            if (minProperties != null && value.size() < minProperties) {
                problems.add(where + " must have at least " + minProperties + " properties");
            }
            if (maxProperties != null && value.size() > maxProperties) {
                problems.add(where + " must have at most " + maxProperties + " properties");
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String name = field.getKey();
                if (ignoredProperties.contains(name)) {
                    continue;
                }
                Schema declared = properties.get(name);
                String at = where + "." + name;
                if (declared != null) {
                    declared.validate(field.getValue(), at, problems);
                } else if (additionalPropertiesForbidden) {
                    problems.add(where + " has property '" + name + "', which the spec does not allow");
                } else if (additionalProperties != null) {
                    additionalProperties.validate(field.getValue(), at, problems);
                }
            }
        }

        private void validateArray(JsonNode value, String where, List<String> problems) {
            if (minItems != null && value.size() < minItems) {
                problems.add(where + " must have at least " + minItems + " item(s), got " + value.size());
            }
            if (maxItems != null && value.size() > maxItems) {
                problems.add(where + " must have at most " + maxItems + " item(s), got " + value.size());
            }
            if (uniqueItems && new HashSet<>(toList(value)).size() < value.size()) {
                problems.add(where + " must not repeat items");
            }
            if (items != null) {
                for (int i = 0; i < value.size(); i++) {
                    items.validate(value.get(i), where + "[" + i + "]", problems);
                }
            }
        }

        private static List<JsonNode> toList(JsonNode array) {
            List<JsonNode> list = new ArrayList<>(array.size());
            array.forEach(list::add);
            return list;
        }

        private void validateString(String text, String where, List<String> problems) {
            if (minLength != null || maxLength != null) {
                int length = text.codePointCount(0, text.length());
                if (minLength != null && length < minLength) {
                    problems.add(where + " must be at least " + minLength + " character(s) long, got '" + text + "'");
                }
                if (maxLength != null && length > maxLength) {
                    problems.add(where + " must be at most " + maxLength + " characters long");
                }
            }
            if (pattern != null && !pattern.matcher(text).lookingAt()) {
                problems.add(where + " must match " + pattern.pattern() + ", got '" + text + "'");
            }
            if (uuid && !UUID.matcher(text).matches()) {
                problems.add(where + " must be a UUID, got '" + text + "'");
            }
        }

        private void validateNumber(BigDecimal number, String where, List<String> problems) {
            if (minimum != null) {
                int comparison = number.compareTo(minimum);
                if (comparison < 0 || (exclusiveMinimum && comparison == 0)) {
                    problems.add(where + " must be " + (exclusiveMinimum ? "> " : ">= ") + minimum + ", got " + number);
                }
            }
            if (maximum != null) {
                int comparison = number.compareTo(maximum);
                if (comparison > 0 || (exclusiveMaximum && comparison == 0)) {
                    problems.add(where + " must be " + (exclusiveMaximum ? "< " : "<= ") + maximum + ", got " + number);
                }
            }
        }

        private boolean hasType(JsonNode value) {
            for (String type : types) {
                boolean matches = switch (type) {
                    case "object" -> value.isObject();
                    case "array" -> value.isArray();
                    case "string" -> value.isTextual();
                    case "boolean" -> value.isBoolean();
                    case "null" -> value.isNull();
                    case "number" -> value.isNumber();
                    // Python's marshmallow Integer takes 3.0 as 3
                    case "integer" -> value.isIntegralNumber()
                            || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
                    default -> true;
                };
                if (matches) {
                    return true;
                }
            }
            return false;
        }

        private static boolean sameValue(JsonNode allowed, JsonNode value) {
            if (allowed.isNumber() && value.isNumber()) {
                return allowed.decimalValue().compareTo(value.decimalValue()) == 0;
            }
            return allowed.equals(value);
        }

        private static String describe(JsonNode value) {
            if (value.isObject()) {
                return "an object";
            }
            if (value.isArray()) {
                return "an array";
            }
            if (value.isNull()) {
                return "null";
            }
            if (value.isTextual()) {
                return "the string " + value;
            }
            return (value.isBoolean() ? "the boolean " : "the number ") + value;
        }
    }

    /** Turns the spec's operations, parameters and schemas into {@link Route}s, {@link Operation}s and {@link Schema}s. */
    private static final class Compiler {
        private final ObjectNode spec;
        private final JsonNode definitions;
        private final Map<String, Schema> compiledDefinitions = new HashMap<>();
        private final Map<String, SecurityScheme> securitySchemes = new HashMap<>();

        Compiler(ObjectNode spec) {
            this.spec = spec;
            this.definitions = spec.path("definitions");
            spec.path("securityDefinitions").properties().forEach(entry -> securitySchemes.put(entry.getKey(),
                    new SecurityScheme(entry.getKey(), entry.getValue().path("type").asText(),
                            entry.getValue().path("in").asText(null), entry.getValue().path("name").asText(null))));
        }

        void compileRoutes(PathNode root) {
            for (Map.Entry<String, JsonNode> pathEntry : spec.path("paths").properties()) {
                String template = pathEntry.getKey();
                JsonNode pathItem = pathEntry.getValue();
                Route route = new Route(template);
                PathNode node = root;
                String[] segments = template.substring(template.startsWith("/") ? 1 : 0).split("/", -1);
                for (int i = 0; i < segments.length; i++) {
                    String segment = segments[i];
                    if (segment.startsWith("{") && segment.endsWith("}")) {
                        route.segmentOfParameter.put(segment.substring(1, segment.length() - 1), i);
                        node = node.template == null ? (node.template = new PathNode()) : node.template;
                    } else {
                        node = node.literals.computeIfAbsent(segment, s -> new PathNode());
                    }
                }
                for (Map.Entry<String, JsonNode> operationEntry : pathItem.properties()) {
                    String method = operationEntry.getKey().toLowerCase(Locale.ROOT);
                    if (METHODS.contains(method)) {
                        route.operations.put(method.toUpperCase(Locale.ROOT),
                                compileOperation(route, method, pathItem, operationEntry.getValue()));
                    }
                }
                node.routes.add(route);
            }
        }

        private Operation compileOperation(Route route, String method, JsonNode pathItem, JsonNode operationNode) {
            Operation operation = new Operation(method.toUpperCase(Locale.ROOT) + " " + route.template);
            // operation-level parameters override path-level ones with the same name and location
            Map<String, JsonNode> parameters = new LinkedHashMap<>();
            for (JsonNode source : List.of(pathItem.path("parameters"), operationNode.path("parameters"))) {
                for (JsonNode reference : source) {
                    JsonNode parameter = resolveParameter(reference);
                    parameters.put(parameter.path("in").asText() + ":" + parameter.path("name").asText(), parameter);
                }
            }
            boolean partialBody = operationNode.path(PARTIAL_BODY).asBoolean(false);
            for (JsonNode parameter : parameters.values()) {
                String in = parameter.path("in").asText();
                String name = parameter.path("name").asText();
                boolean required = parameter.path("required").asBoolean(false);
                switch (in) {
                    case "body" -> {
                        operation.body = compile(parameter.path("schema"), Set.of(), Set.of(), partialBody);
                        operation.bodyRequired = required;
                    }
                    case "path" -> {
                        Integer segment = route.segmentOfParameter.get(name);
                        if (segment != null) {
                            operation.pathParameters.add(simpleParameter(parameter, Location.PATH));
                            operation.pathSegments.add(segment);
                        }
                    }
                    case "query" -> operation.queryParameters.add(simpleParameter(parameter, Location.QUERY));
                    case "header" -> operation.headerParameters.add(simpleParameter(parameter, Location.HEADER));
                    case "formData" -> operation.formParameters.add(simpleParameter(parameter, Location.FORM));
                    default -> throw new IllegalStateException(operation.label + ": unknown parameter location " + in);
                }
            }
            JsonNode security = operationNode.has("security") ? operationNode.get("security") : spec.path("security");
            for (JsonNode alternative : security) {
                List<SecurityScheme> schemes = new ArrayList<>();
                alternative.fieldNames().forEachRemaining(name -> {
                    SecurityScheme scheme = securitySchemes.get(name);
                    if (scheme == null) {
                        throw new IllegalStateException(operation.label + ": undefined security scheme " + name);
                    }
                    schemes.add(scheme);
                });
                operation.security.add(schemes);
            }
            operationNode.path(SECURITY_WAIVED_BY_BODY_FIELDS).forEach(f -> operation.securityWaivedByBodyFields.add(f.asText()));
            JsonNode consumes = operationNode.has("consumes") ? operationNode.get("consumes") : spec.path("consumes");
            consumes.forEach(type -> operation.consumes.add(type.asText().split(";", 2)[0].trim().toLowerCase(Locale.ROOT)));
            return operation;
        }

        private JsonNode resolveParameter(JsonNode parameter) {
            if (!parameter.has("$ref")) {
                return parameter;
            }
            String reference = parameter.get("$ref").asText();
            String prefix = "#/parameters/";
            JsonNode resolved = reference.startsWith(prefix)
                    ? spec.path("parameters").path(reference.substring(prefix.length())) : null;
            if (resolved == null || resolved.isMissingNode()) {
                throw new IllegalStateException("unresolved parameter reference " + reference);
            }
            return resolved;
        }

        private Parameter simpleParameter(JsonNode parameter, Location in) {
            String type = parameter.path("type").asText(null);
            return new Parameter(parameter.path("name").asText(), in, parameter.path("required").asBoolean(false),
                    type, parameter.path("collectionFormat").asText(null),
                    parameter.path("items").path("type").asText(null),
                    compile(parameter, Set.of(), Set.of(), false));
        }

        /**
         * @param allOfChain definitions entered through $ref/allOf since the last descent into a property or item:
         *                   meeting one of them again is a self-inclusion, which adds nothing
         * @param readOnly   readOnly property names of the enclosing allOf group, not required in requests
         * @param partial    whether required properties are ignored (partial updates)
         */
        private Schema compile(JsonNode node, Set<String> allOfChain, Set<String> readOnly, boolean partial) {
            if (!node.isObject()) {
                return Schema.ANY;
            }
            if (node.has("$ref")) {
                String name = definitionName(node.get("$ref").asText());
                if (allOfChain.contains(name)) {
                    return Schema.ANY;
                }
                String key = name + "|" + partial + "|" + new TreeSet<>(readOnly);
                Schema compiled = compiledDefinitions.get(key);
                if (compiled == null) {
                    compiled = new Schema();
                    // registered before filling, so that recursive definitions end up pointing at themselves
                    compiledDefinitions.put(key, compiled);
                    Set<String> chain = new HashSet<>(allOfChain);
                    chain.add(name);
                    fill(compiled, definitions.get(name), chain, readOnly, partial);
                }
                return compiled;
            }
            Schema schema = new Schema();
            fill(schema, node, allOfChain, readOnly, partial);
            return schema;
        }

        private String definitionName(String reference) {
            String prefix = "#/definitions/";
            if (!reference.startsWith(prefix) || !definitions.has(reference.substring(prefix.length()))) {
                throw new IllegalStateException("unresolved schema reference " + reference);
            }
            return reference.substring(prefix.length());
        }

        private void fill(Schema schema, JsonNode node, Set<String> allOfChain, Set<String> inheritedReadOnly,
                          boolean partial) {
            if (node.has("$ref")) {
                // a definition that is only a reference (siblings of $ref are ignored in Swagger 2.0)
                schema.allOf = List.of(compile(node, allOfChain, inheritedReadOnly, partial));
                return;
            }
            Set<String> readOnly = new HashSet<>(inheritedReadOnly);
            collectReadOnly(node, readOnly, new HashSet<>());

            JsonNode type = node.path("type");
            if (type.isTextual() && !type.asText().equals("file")) {
                schema.types = Set.of(type.asText());
            } else if (type.isArray()) {
                schema.types = new LinkedHashSet<>();
                type.forEach(t -> schema.types.add(t.asText()));
            }
            schema.nullable = node.path("x-nullable").asBoolean(false);
            if (node.path("allOf").isArray()) {
                List<Schema> members = new ArrayList<>();
                for (JsonNode member : node.get("allOf")) {
                    Schema compiled = compile(member, allOfChain, readOnly, partial);
                    if (compiled != Schema.ANY) {
                        members.add(compiled);
                    }
                }
                schema.allOf = members;
            }
            if (node.path("properties").isObject()) {
                Map<String, Schema> properties = new HashMap<>();
                Set<String> ignored = new HashSet<>();
                for (Map.Entry<String, JsonNode> property : node.get("properties").properties()) {
                    if (readOnly.contains(property.getKey())) {
                        ignored.add(property.getKey());
                    } else {
                        properties.put(property.getKey(), compile(property.getValue(), Set.of(), Set.of(), partial));
                    }
                }
                schema.properties = properties;
                schema.ignoredProperties = ignored;
            }
            if (node.path("required").isArray() && !partial) {
                List<String> required = new ArrayList<>();
                node.get("required").forEach(name -> {
                    if (!readOnly.contains(name.asText())) {
                        required.add(name.asText());
                    }
                });
                schema.required = required;
            }
            JsonNode additional = node.path("additionalProperties");
            if (additional.isBoolean()) {
                schema.additionalPropertiesForbidden = !additional.asBoolean();
            } else if (additional.isObject()) {
                schema.additionalProperties = compile(additional, Set.of(), Set.of(), partial);
            }
            schema.minProperties = integer(node, "minProperties");
            schema.maxProperties = integer(node, "maxProperties");
            if (node.path("items").isObject()) {
                schema.items = compile(node.get("items"), Set.of(), Set.of(), partial);
            }
            schema.minItems = integer(node, "minItems");
            schema.maxItems = integer(node, "maxItems");
            schema.uniqueItems = node.path("uniqueItems").asBoolean(false);
            if (node.path("enum").isArray()) {
                List<JsonNode> values = new ArrayList<>();
                node.get("enum").forEach(values::add);
                schema.enumValues = Collections.unmodifiableList(values);
            }
            if (node.path("pattern").isTextual()) {
                schema.pattern = Pattern.compile(node.get("pattern").asText());
            }
            schema.minLength = integer(node, "minLength");
            schema.maxLength = integer(node, "maxLength");
            schema.minimum = node.path("minimum").isNumber() ? node.get("minimum").decimalValue() : null;
            schema.maximum = node.path("maximum").isNumber() ? node.get("maximum").decimalValue() : null;
            schema.exclusiveMinimum = node.path("exclusiveMinimum").asBoolean(false);
            schema.exclusiveMaximum = node.path("exclusiveMaximum").asBoolean(false);
            schema.uuid = "uuid".equals(node.path("format").asText());
        }

        /** readOnly property names of a schema and, through $ref and allOf, of the whole group it heads. */
        private void collectReadOnly(JsonNode node, Set<String> names, Set<String> visited) {
            if (node.has("$ref")) {
                String name = definitionName(node.get("$ref").asText());
                if (visited.add(name)) {
                    collectReadOnly(definitions.get(name), names, visited);
                }
                return;
            }
            node.path("properties").properties().forEach(property -> {
                if (property.getValue().path("readOnly").asBoolean(false)) {
                    names.add(property.getKey());
                }
            });
            node.path("allOf").forEach(member -> collectReadOnly(member, names, visited));
        }

        private static Integer integer(JsonNode node, String field) {
            return node.path(field).canConvertToInt() && node.path(field).isNumber() ? node.get(field).intValue() : null;
        }
    }
}
