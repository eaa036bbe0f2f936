package io.ivrflow.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.ServiceTestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route reloading switched on: an edit of a route file takes effect without a restart; an edit that does not load
 * is shown by the health check with its file and line while the file's routes run on as they were; fixing it
 * reloads it.
 */
class RoutesReloadTest extends ServiceTestSupport {

    /** A copy of routes/, edited by the test. */
    private Path routes;

    @Override
    protected void properties(Properties p) {
        try {
            routes = Files.createTempDirectory("ivrflow-routes");
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        p.put("ivr.routes.directory", routes.toString());
        p.put("camel.main.routes-reload-enabled", "true");
    }

    @Test
    void anEditTakesEffectABrokenOneLeavesTheRoutesAsTheyWereAndSaysWhereItIsWrong() throws Exception {
        Path file = routes.resolve("flows-api.camel.yaml");
        String original = Files.readString(file);
        assertEquals(200, get(httpPort, "/api/flows").statusCode());
        assertEquals("UP", reloadCheck().path("status").asText());

        // an edit: the summary moves to another path
        write(file, original.replace("path: /api/flows", "path: /api/flow-list"));
        await(() -> get(httpPort, "/api/flow-list").statusCode(), s -> s == 200, "the edited route to serve");
        assertEquals(404, get(httpPort, "/api/flows").statusCode(), "the old path is gone with the old route");

        // a broken edit: nothing changes but the health check, which names the file and the line
        write(file, original.replace("path: /api/flows", "path: [/api/flows"));
        JsonNode down = await(this::reloadCheck, c -> "DOWN".equals(c.path("status").asText()), "the check to say DOWN");
        String error = down.path("data").path("reload.error").asText();
        assertTrue(error.startsWith(file + ":"), error);
        assertTrue(error.matches(".*\\.camel\\.yaml:\\d+:\\d+: .*"), "file:line:column: " + error);
        assertEquals(200, get(httpPort, "/api/flow-list").statusCode(), "the routes of the file run on as they were");
        assertEquals(200, get(managementPort, "/observe/health/ready").statusCode(),
                "readiness is not taken away by a bad edit");

        // fixed: loaded again, and the check is UP
        write(file, original);
        await(() -> get(httpPort, "/api/flows").statusCode(), s -> s == 200, "the fixed route to serve");
        await(this::reloadCheck, c -> "UP".equals(c.path("status").asText()), "the check to say UP");
    }

    private static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private JsonNode reloadCheck() throws Exception {
        return healthCheck("routes-reload");
    }

}
