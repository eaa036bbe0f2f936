package io.ivrflow.flow;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one flow file: JSON syntax, then the JSON Schema shipped in {@code flows/ivrflow.schema.json},
 * then the model. Graph rules are the {@link FlowLinter}'s. Never throws for bad content: every problem
 * becomes a {@link Diagnostic}.
 */
public final class FlowLoader {

    /** Classpath copy of {@code flows/ivrflow.schema.json} (the build copies it into the jar). */
    public static final String SCHEMA_RESOURCE = "/ivrflow/ivrflow.schema.json";

    // trailing tokens: without this, "{...}}" or two objects in one file would read as the first object
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonSchema schema;

    public FlowLoader() {
        try (InputStream in = FlowLoader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("flow schema missing from the classpath: " + SCHEMA_RESOURCE);
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What reading a file gave: the flow (null when it could not be built), every diagnostic, and where each
     * value of the file stands, so later checks (lint) can place their diagnostics without reading it again.
     * {@code version} is the content hash of the bytes read ({@link #version(byte[])}); null when the file could
     * not be read.
     */
    public record Loaded(Path file, Flow flow, List<Diagnostic> diagnostics, JsonLocations locations, String version) {
        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }

        /** The same file with more diagnostics, located in it. */
        public Loaded with(List<Diagnostic> more) {
            List<Diagnostic> all = new java.util.ArrayList<>(diagnostics);
            more.stream().map(locations::locate).forEach(all::add);
            return new Loaded(file, flow, all, locations, version);
        }
    }

    public Loaded load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return failed(file, null, "cannot read the file: " + e.getMessage(), 0, 0);
        }
        return load(file, bytes);
    }

    public Loaded load(Path file, byte[] bytes) {
        String name = file.toString();
        String version = version(bytes);
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonParseException e) {
            var loc = e.getLocation();
            return failed(file, version, "not valid JSON: " + e.getOriginalMessage(), loc.getLineNr(), loc.getColumnNr());
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return failed(file, version, "not valid JSON: " + e.getOriginalMessage(), loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr());
        } catch (IOException e) {
            return failed(file, version, "not valid JSON: " + e.getMessage(), 0, 0);
        }
        if (root == null || !root.isObject()) {
            return failed(file, version, "a flow is a JSON object", 1, 1);
        }
        JsonLocations locations = JsonLocations.of(bytes);
        List<Diagnostic> diagnostics = new ArrayList<>(schemaErrors(name, root));
        Flow flow = null;
        if (diagnostics.isEmpty()) {
            flow = FlowReader.isFullFormat(root)
                    ? new FlowReader(name, diagnostics).read(root)
                    : new LegacyFlowReader(name, flowIdOf(file), diagnostics).read(root);
        }
        return new Loaded(file, flow, diagnostics.stream().map(locations::locate).toList(), locations, version);
    }

    /** Id of a seed-format flow: its file name without {@code .json}. */
    public static String flowIdOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private List<Diagnostic> schemaErrors(String file, JsonNode root) {
        Set<String> seen = new LinkedHashSet<>();
        List<Diagnostic> out = new ArrayList<>();
        for (ValidationMessage m : schema.validate(root)) {
            String pointer = m.getInstanceLocation().toString();
            String property = m.getProperty();
            if ("required".equals(m.getType()) || "additionalProperties".equals(m.getType())) {
                // name the offending property in the pointer's message rather than in the path
                pointer = pointer.equals("/") ? "" : pointer;
            }
            String message = m.getError();
            if (message == null || message.isBlank()) {
                message = m.getMessage();
            }
            if ("additionalProperties".equals(m.getType()) && property != null) {
                message = "unknown property \"" + property + "\"";
                pointer = Pointers.child(pointer, property);
            } else if (!"required".equals(m.getType())) {
                String value = offending(root, pointer);
                message = value.isEmpty() ? message
                        : "enum".equals(m.getType()) ? value + " is not one of " + message.replaceFirst(".*enumeration ", "")
                        : "pattern".equals(m.getType()) ? value + " does not match " + message.replaceFirst(".*pattern ", "")
                        : value + ": " + message;
            }
            if (seen.add(pointer + "|" + message)) {
                out.add(new Diagnostic(Diagnostic.Severity.ERROR, file, pointer.equals("/") ? "" : pointer, 0, 0,
                        "schema", message));
            }
        }
        return out;
    }

    /** The value at the pointer as JSON ({@code "dial"}, {@code 12}), shortened; empty for an object or array. */
    private static String offending(JsonNode root, String pointer) {
        JsonNode value = root.at(pointer.equals("/") ? "" : pointer);
        if (value.isMissingNode() || value.isContainerNode()) {
            return "";
        }
        String shown = value.toString();
        return shown.length() > 60 ? shown.substring(0, 60) + "..." : shown;
    }

    private static Loaded failed(Path file, String version, String message, int line, int column) {
        return new Loaded(file, null, List.of(new Diagnostic(Diagnostic.Severity.ERROR, file.toString(), "", line,
                column, "json", message)), JsonLocations.NONE, version);
    }

    /**
     * A flow file's version: the first 16 hex digits (64 bits) of the SHA-256 of its bytes. Equal bytes, equal
     * version, on every instance: a version names a file's content wherever it is deployed or kept.
     */
    public static String version(byte[] bytes) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
