package io.ivrflow.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code routes/*.camel.yaml} is valid against the YAML DSL schema shipped in camel-yaml-dsl (what Kaoto and
 * editors check), and follows the project's conventions: one route per file, every route with an explicit id.
 */
class RoutesSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = RoutesSchemaTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertNotNull(in, "camel-yaml-dsl schema not on the classpath");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    private static List<Path> routeFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @Test
    void everyRouteFileIsValidAgainstTheYamlDslSchema() throws Exception {
        List<Path> files = routeFiles();
        assertTrue(files.stream().anyMatch(p -> p.endsWith("http-replies.camel.yaml")), files.toString());
        assertTrue(files.stream().anyMatch(p -> p.endsWith("manage-flows.camel.yaml")), files.toString());
        assertTrue(files.stream().anyMatch(p -> p.endsWith("flows-api.camel.yaml")), files.toString());
        assertTrue(files.stream().anyMatch(p -> p.endsWith("flows-reload.camel.yaml")), files.toString());
        for (Path p : files) {
            Set<ValidationMessage> errors = schema.validate(YAML.readTree(p.toFile()));
            assertTrue(errors.isEmpty(), p + ": " + errors);
        }
    }

    @Test
    void theSchemaCheckCatchesAMistake() throws Exception {
        JsonNode bad = YAML.readTree("""
                - route:
                    id: x
                    autoStartup: "{{ivr.x.enabled:true}}"
                    from:
                      uri: timer:x
                      stepz: []
                """);
        assertFalse(schema.validate(bad).isEmpty());
    }

    /**
     * One route per file, each with a unique id; an HTTP API's file holds its rest block and the routes its verbs
     * call, and nothing else (so routes/ lists every verb and path next to what answers it).
     */
    @Test
    void oneRoutePerFileOrOneApiPerFileEachRouteWithAUniqueExplicitId() throws Exception {
        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Path p : routeFiles()) {
            List<String> directs = new ArrayList<>();
            Set<String> called = new HashSet<>();
            int routes = 0;
            for (JsonNode item : YAML.readTree(p.toFile())) {
                item.path("rest").forEach(verbs -> verbs.forEach(verb -> {
                    if (verb.has("to")) {
                        called.add(verb.path("to").asText());
                    }
                }));
                JsonNode route = item.get("route");
                if (route == null) {
                    continue;
                }
                routes++;
                String id = route.path("id").asText("");
                if (id.isEmpty() || !ids.add(id)) {
                    problems.add(p + ": missing or duplicate route id '" + id + "'");
                }
                String from = route.path("from").path("uri").asText("");
                if (from.startsWith("direct:")) {
                    directs.add(from);
                }
            }
            if (routes > 1 && !(called.containsAll(directs) && directs.size() == routes)) {
                problems.add(p + ": " + routes + " routes in one file, not all called by its rest verbs: " + directs
                        + " vs " + called);
            }
        }
        assertEquals(List.of(), problems);
    }
}
