package io.ivrflow.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.ServiceTestSupport;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.flowstore.FlowsHealthCheck;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the service as {@code java -jar} does (Camel Main, {@code application.properties}, the real
 * {@code routes/*.camel.yaml} and {@code flows/}), on free ports.
 */
class ServiceMainTest extends ServiceTestSupport {

    @Override
    protected void properties(Properties p) {
        p.put("ivr.flows.reload-enabled", "true");
        p.put("ivr.flows.reload-period", "300");
    }

    @Test
    void apiFlowsListsTheExampleFlowsWithoutEchoingRequestHeaders() throws Exception {
        HttpResponse<String> r = get(httpPort, "/api/flows", "X-Ivrflow-Probe", "echo-me", "Accept", "application/json");

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertTrue(r.headers().firstValue("X-Ivrflow-Probe").isEmpty(), "request header echoed: " + r.headers());
        assertTrue(r.headers().map().values().stream().flatMap(v -> v.stream()).noneMatch(v -> v.contains("echo-me")),
                r.headers().toString());

        JsonNode body = JSON.readTree(r.body());
        assertEquals("flows", body.get("directory").asText());
        assertFalse(body.get("lastReload").isNull());
        Set<String> served = new HashSet<>();
        for (JsonNode f : body.get("flows")) {
            if ("ok".equals(f.get("status").asText())) {
                served.add(f.get("id").asText());
            }
        }
        assertTrue(served.contains("wazo-ivr-plugin"), body.toPrettyString());
        JsonNode wazo = null;
        for (JsonNode f : body.get("flows")) {
            if ("wazo-ivr-plugin".equals(f.path("id").asText())) {
                wazo = f;
            }
        }
        assertNotNull(wazo);
        assertEquals("main_menu", wazo.get("start").asText());
        assertTrue(wazo.get("nodeCount").asInt() >= 4, wazo.toString());
        assertTrue(wazo.get("file").asText().endsWith("wazo-ivr-plugin.json"));
        assertEquals(0, wazo.get("errorCount").asInt());

        // every flow that loads cleanly from flows/ is listed as served
        Set<String> expected = FlowFiles.load(new FlowLoader(), Path.of("flows")).catalog().all().stream()
                .map(Flow::id).collect(Collectors.toSet());
        assertEquals(expected, served);
        assertEquals(expected.size(), body.get("serving").asInt());
    }

    @Test
    void apiFlowsIsReadOnly() throws Exception {
        HttpResponse<String> r = postJson(httpPort, "/api/flows", "{}");
        assertEquals(405, r.statusCode());
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""), r.headers().map().toString());
        assertEquals(405, json(r).get("status").asInt(), "the one error shape: " + r.body());
    }

    @Test
    void healthOnTheManagementPortIsUpAndIncludesTheFlowsCheck() throws Exception {
        HttpResponse<String> r = get(managementPort, "/observe/health");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode health = JSON.readTree(r.body());
        assertEquals("UP", health.get("status").asText(), r.body());
        assertEquals("UP", check(health, "flows"), r.body());
        assertEquals("UP", check(health, "route:flows-api"), r.body());
        assertEquals("UP", check(health, "route:flows-reload"), r.body());

        HttpResponse<String> withData = get(managementPort, "/observe/health/ready?data=true");
        assertEquals(200, withData.statusCode(), withData.body());
        JsonNode flows = find(JSON.readTree(withData.body()), "flows");
        assertNotNull(flows, withData.body());
        assertEquals("ivrflow", flows.get("data").get("check.group").asText());
        assertTrue(flows.get("data").get("flows.serving").asInt() >= 1, flows.toString());

        // a flow problem must not make the orchestrator restart the service: readiness only
        HttpResponse<String> live = get(managementPort, "/observe/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals(null, find(JSON.readTree(live.body()), "flows"), live.body());

        // the business port does not serve the management endpoints
        assertEquals(404, get(httpPort, "/observe/health").statusCode());
        assertEquals(200, get(managementPort, "/observe/metrics").statusCode());
    }

    @Test
    void routesComeFromTheRoutesFolderAndTheReloadRouteReloads() throws Exception {
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("flows-api"));
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("flows-reload"));
        assertTrue(context.getRoute("flows-api").getSourceLocation().contains("flows-api.camel.yaml"),
                context.getRoute("flows-api").getSourceLocation());

        FlowRepository repo = context.getRegistry().lookupByNameAndType("flowRepository", FlowRepository.class);
        assertNotNull(repo);
        assertSame(repo, context.getRegistry().findSingleByType(FlowRepository.class));
        assertNotNull(context.getRegistry().findSingleByType(FlowsHealthCheck.class));

        Instant before = repo.lastReload();
        assertNotNull(before, "loaded by the bean's init method");
        NotifyBuilder reloaded = new NotifyBuilder(context).fromRoute("flows-reload").whenCompleted(2).create();
        assertTrue(reloaded.matches(20, TimeUnit.SECONDS), "flows-reload did not run");
        assertTrue(repo.lastReload().isAfter(before), "reload did not re-read the directory");
        assertTrue(repo.catalog().find("wazo-ivr-plugin").isPresent());
    }

    private static String check(JsonNode health, String name) {
        JsonNode c = find(health, name);
        return c == null ? null : c.get("status").asText();
    }

    private static JsonNode find(JsonNode health, String name) {
        if (health.get("checks") == null) {
            return null;
        }
        for (JsonNode c : health.get("checks")) {
            if (name.equals(c.get("name").asText())) {
                return c;
            }
        }
        return null;
    }
}
