package io.ivrflow.app;

import io.ivrflow.flow.Flow;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowRepositoryTest {

    /** The seed project's flow format (a bare object of nodes): its id is the file name. */
    private static final String SEED_FLOW = """
            {
                "main_menu": {
                    "prompt": "Welcome. Press 1 for sales, 2 for support, or 9 to repeat this menu.",
                    "options": {
                        "1": {"action": "route_to_queue", "target": "sales_queue"},
                        "2": {"action": "route_to_queue", "target": "support_queue"},
                        "9": {"action": "repeat_menu"}
                    },
                    "fallback": {"action": "repeat_menu"}
                },
                "sales_queue": {
                    "prompt": "Connecting you to sales.",
                    "action": "transfer_to_extension",
                    "target": "1001"
                },
                "support_queue": {
                    "prompt": "Connecting you to support.",
                    "action": "transfer_to_extension",
                    "target": "1002"
                }
            }
            """;

    @TempDir
    Path dir;

    private FlowRepository repository() {
        return new FlowRepository(dir.toString());
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> flows(FlowRepository repo) {
        return (List<Map<String, Object>>) repo.summary().get("flows");
    }

    private static Map<String, Object> fileSummary(FlowRepository repo, String fileName) {
        return flows(repo).stream().filter(m -> ((String) m.get("file")).endsWith(fileName)).findFirst()
                .orElseThrow(() -> new AssertionError(fileName + " not in " + repo.summary()));
    }

    @Test
    void goodFlowLoadsAndIsSummarised() throws Exception {
        write("menu.json", SEED_FLOW);
        FlowRepository repo = repository();
        assertNull(repo.lastReload());
        assertTrue(repo.catalog().all().isEmpty());

        Instant before = Instant.now();
        repo.load();

        Flow flow = repo.catalog().find("menu").orElseThrow();
        assertEquals("main_menu", flow.start());
        assertTrue(flow.nodes().keySet().containsAll(List.of("main_menu", "sales_queue", "support_queue")));
        assertNotNull(repo.lastReload());
        assertFalse(repo.lastReload().isBefore(before));

        Map<String, Object> summary = repo.summary();
        assertEquals(dir.toString(), summary.get("directory"));
        assertEquals(1, summary.get("serving"));
        Map<String, Object> menu = fileSummary(repo, "menu.json");
        assertEquals("menu", menu.get("id"));
        assertEquals(FlowRepository.OK, menu.get("status"));
        assertEquals(flow.nodes().size(), menu.get("nodeCount"));
        assertEquals("main_menu", menu.get("start"));
        assertEquals(flow.languages(), menu.get("languages"));
        assertEquals(0L, menu.get("errorCount"));
        assertEquals(List.of(), menu.get("errors"));
    }

    @Test
    void brokenFileKeepsTheLastGoodVersionThenAFixReplacesItAndDeletionRemovesIt() throws Exception {
        write("menu.json", SEED_FLOW);
        write("other.json", SEED_FLOW);
        FlowRepository repo = repository();
        repo.load();
        Flow good = repo.catalog().find("menu").orElseThrow();
        String goodLoadedAt = (String) fileSummary(repo, "menu.json").get("loadedAt");

        // broken JSON: the last good version keeps serving, and the errors are reported
        write("menu.json", "{\"main_menu\": {\"prompt\": 1");
        repo.reload();
        assertSame(good, repo.catalog().find("menu").orElseThrow(), "last good version still serves");
        Map<String, Object> stale = fileSummary(repo, "menu.json");
        assertEquals(FlowRepository.STALE, stale.get("status"));
        assertEquals("menu", stale.get("id"));
        assertTrue((Long) stale.get("errorCount") >= 1, stale.toString());
        @SuppressWarnings("unchecked")
        List<String> errors = (List<String>) stale.get("errors");
        assertTrue(errors.get(0).contains("menu.json") && errors.get(0).contains("error [json]"), errors.toString());
        assertEquals(goodLoadedAt, stale.get("loadedAt"), "the serving version's load time is kept");

        // valid JSON, but not a valid flow (an unknown action): still the last good one
        write("menu.json", SEED_FLOW.replace("\"action\": \"transfer_to_extension\"", "\"action\": \"teleport\""));
        repo.reload();
        assertSame(good, repo.catalog().find("menu").orElseThrow());
        assertEquals(FlowRepository.STALE, fileSummary(repo, "menu.json").get("status"));
        assertTrue((Long) fileSummary(repo, "menu.json").get("errorCount") >= 1);

        // fixed with new content: the new version serves
        write("menu.json", SEED_FLOW.replace("Connecting you to sales.", "Sales, one moment."));
        repo.reload();
        Flow fixed = repo.catalog().find("menu").orElseThrow();
        assertNotSame(good, fixed);
        assertTrue(fixed.nodes().get("sales_queue").toString().contains("Sales, one moment."));
        assertEquals(FlowRepository.OK, fileSummary(repo, "menu.json").get("status"));
        assertEquals(0L, fileSummary(repo, "menu.json").get("errorCount"));

        // deleted: removed from the catalog and from the summary; the other flow is untouched
        Files.delete(dir.resolve("menu.json"));
        repo.reload();
        assertTrue(repo.catalog().find("menu").isEmpty());
        assertTrue(flows(repo).stream().noneMatch(m -> ((String) m.get("file")).endsWith("menu.json")));
        assertTrue(repo.catalog().find("other").isPresent());
        assertEquals(1, repo.summary().get("serving"));
    }

    @Test
    void garbageNeverThrowsAndIsReportedAsInvalid() throws Exception {
        write("good.json", SEED_FLOW);
        Files.write(dir.resolve("binary.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
        write("empty.json", "");
        write("array.json", "[1, 2, 3]");
        write("string.json", "\"hello\"");
        write("nodes-not-objects.json", "{\"main_menu\": 42}");
        write("notes.txt", "not a flow file at all");
        Files.createDirectory(dir.resolve("folder.json"));
        FlowRepository repo = repository();

        assertDoesNotThrow(repo::load);

        assertEquals(List.of("good"), repo.catalog().all().stream().map(Flow::id).toList());
        for (String bad : List.of("binary.json", "empty.json", "array.json", "string.json", "nodes-not-objects.json")) {
            Map<String, Object> m = fileSummary(repo, bad);
            assertEquals(FlowRepository.INVALID, m.get("status"), bad);
            assertNull(m.get("id"), bad);
            assertTrue((Long) m.get("errorCount") >= 1, bad);
        }
        assertEquals(6, flows(repo).size(), "only *.json regular files are flow files: " + repo.summary());
        assertDoesNotThrow(repo::reload);
        assertEquals(1, repo.catalog().all().size());
    }

    @Test
    void missingDirectoryNeverThrowsAndKeepsWhatWasLoaded() throws Exception {
        FlowRepository nowhere = new FlowRepository(dir.resolve("does-not-exist").toString());
        assertDoesNotThrow(nowhere::load);
        assertTrue(nowhere.catalog().all().isEmpty());
        assertNotNull(nowhere.lastReload());

        Path flows = Files.createDirectory(dir.resolve("flows"));
        Files.writeString(flows.resolve("menu.json"), SEED_FLOW);
        FlowRepository repo = new FlowRepository(flows.toString());
        repo.load();
        Files.delete(flows.resolve("menu.json"));
        Files.delete(flows);
        assertDoesNotThrow(repo::reload);
        assertTrue(repo.catalog().find("menu").isPresent(), "a vanished directory is not a deletion of every flow");
    }

    @Test
    void readersAlwaysSeeACompleteSnapshotWhileReloading() throws Exception {
        write("menu.json", SEED_FLOW);
        write("other.json", SEED_FLOW);
        FlowRepository repo = repository();
        repo.load();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch reloads = new CountDownLatch(40);
        try {
            for (int i = 0; i < 2; i++) {
                pool.submit(() -> {
                    while (reloads.getCount() > 0) {
                        try {
                            repo.reload();
                        } catch (RuntimeException e) {
                            problems.add("reload threw " + e);
                        }
                        reloads.countDown();
                    }
                });
            }
            for (int i = 0; i < 4; i++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        if (repo.catalog().all().size() != 2) {
                            problems.add("catalog had " + repo.catalog().all().size() + " flows");
                        }
                        if (flows(repo).size() != 2) {
                            problems.add("summary had " + flows(repo).size() + " files");
                        }
                    }
                });
            }
            assertTrue(reloads.await(60, TimeUnit.SECONDS), "reloads did not finish");
        } finally {
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void healthCheckIsUpOnlyWithAUsableFlow() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            FlowRepository repo = repository();
            FlowsHealthCheck check = new FlowsHealthCheck();
            check.setCamelContext(context);
            check.setRepository(repo);
            assertEquals("ivrflow", check.getGroup());
            assertEquals("flows", check.getId());
            assertTrue(check.isReadiness());
            assertFalse(check.isLiveness());

            HealthCheck.Result notLoaded = check.call();
            assertEquals(HealthCheck.State.DOWN, notLoaded.getState());

            write("broken.json", "{");
            repo.load();
            HealthCheck.Result onlyBroken = check.call();
            assertEquals(HealthCheck.State.DOWN, onlyBroken.getState());
            assertEquals(1L, onlyBroken.getDetails().get("flows.filesWithErrors"));

            write("menu.json", SEED_FLOW);
            repo.reload();
            HealthCheck.Result up = check.call();
            assertEquals(HealthCheck.State.UP, up.getState());
            assertEquals(1, up.getDetails().get("flows.serving"));
            assertEquals(2, up.getDetails().get("flows.files"));
            assertEquals(1L, up.getDetails().get("flows.filesWithErrors"));
            assertTrue(((String) up.getDetails().get("flows.filesWithErrors.names")).endsWith("broken.json"));
        }
    }
}
