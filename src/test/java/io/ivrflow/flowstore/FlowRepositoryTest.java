package io.ivrflow.flowstore;

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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
            FlowsHealthCheck check = new FlowsHealthCheck(repo);
            check.setCamelContext(context);
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

    // ---------------------------------------------------------------- versions, releases, history, changes

    @Test
    void versionsAreContentHashesAndAnOldReleaseStaysReachableForTheCallsPinnedToIt() throws Exception {
        write("menu.json", SEED_FLOW);
        FlowRepository repo = repository();
        repo.load();
        FlowRepository.Entry first = repo.entry("menu").orElseThrow();
        assertEquals(io.ivrflow.flow.FlowLoader.version(SEED_FLOW.getBytes(StandardCharsets.UTF_8)), first.version());
        io.ivrflow.flow.FlowRelease r1 = repo.current();
        assertEquals(Map.of("menu", first.version()), r1.versions());

        assertFalse(repo.reloadIfChanged(), "nothing changed: no new release");
        assertSame(r1, repo.current());

        write("menu.json", SEED_FLOW.replace("Connecting you to sales.", "Sales, one moment."));
        assertTrue(repo.reloadIfChanged(), "a changed file is picked up at the next look");
        io.ivrflow.flow.FlowRelease r2 = repo.current();
        assertNotEquals(r1.id(), r2.id());
        assertSame(r1, repo.pinned(r1.id()), "a call that began on release 1 still gets it");
        assertTrue(r1.catalog().find("menu").orElseThrow().nodes().get("sales_queue").toString().contains("Connecting you"));
        assertSame(r2, repo.pinned("0123456789abcdef"), "an unknown release gives the current one");
        assertSame(r2, repo.pinned(null));

        // a broken change: no new release, the history says it was refused
        write("menu.json", "{\"main_menu\": 1}");
        assertFalse(repo.reloadIfChanged());
        assertSame(r2, repo.current());
        List<FlowHistory.Event> events = repo.history().of("menu");
        assertEquals(List.of(FlowHistory.Change.REFUSED, FlowHistory.Change.ACTIVATED, FlowHistory.Change.ACTIVATED),
                events.stream().map(FlowHistory.Event::change).toList());
        assertEquals(1, repo.refusedCount());
        assertEquals(first.version(), events.get(2).version());
        assertEquals(SEED_FLOW, new String(repo.history().content("menu", first.version()).orElseThrow(),
                StandardCharsets.UTF_8));
    }

    @Test
    void theHistoryOnDiskSurvivesARestartWithoutRepeatingItself() throws Exception {
        Path history = Files.createDirectory(dir.resolve("history"));
        Path flows = Files.createDirectory(dir.resolve("flows"));
        Files.writeString(flows.resolve("menu.json"), SEED_FLOW);
        FlowRepository repo = new FlowRepository(FlowStoreSettings.of(flows).withHistory(history, 100));
        repo.load();
        Files.writeString(flows.resolve("menu.json"), SEED_FLOW.replace("Connecting", "Putting"));
        repo.reload();
        assertEquals(2, repo.history().of("menu").size());

        FlowRepository restarted = new FlowRepository(FlowStoreSettings.of(flows).withHistory(history, 100));
        restarted.load();
        List<FlowHistory.Event> events = restarted.history().of("menu");
        assertEquals(2, events.size(), "the same version loaded again is no new event: " + events);
        assertTrue(restarted.history().content("menu", events.get(1).version()).isPresent(), "old content kept on disk");
        assertTrue(restarted.history().content("menu", "../../etc/passwd").isEmpty());
        assertTrue(restarted.history().content("../menu", events.get(1).version()).isEmpty());
    }

    @Test
    void theHistoryKeepsTheNewestContentsAndAlwaysTheServingOne() throws Exception {
        for (boolean onDisk : new boolean[] {true, false}) {
            Path flows = Files.createDirectory(dir.resolve("flows-" + onDisk));
            Path history = dir.resolve("history-" + onDisk);
            Files.writeString(flows.resolve("menu.json"), SEED_FLOW);
            FlowRepository repo = new FlowRepository(FlowStoreSettings.of(flows).withHistory(onDisk ? history : null, 2));
            repo.load();
            List<String> activated = new ArrayList<>();
            for (String word : List.of("Putting", "Sending", "Taking")) {
                Files.writeString(flows.resolve("menu.json"), SEED_FLOW.replace("Connecting", word));
                repo.reload();
            }
            activated.addAll(repo.history().of("menu").stream().map(FlowHistory.Event::version).toList());
            assertEquals(4, activated.size(), "every version's event stays: " + activated);
            assertEquals(List.of(true, true, false, false),
                    activated.stream().map(v -> repo.history().kept("menu", v)).toList(), "disk " + onDisk);
            assertTrue(repo.history().content("menu", activated.get(3)).isEmpty(), "the first content is gone");
            if (onDisk) {
                try (var files = Files.list(history.resolve("menu"))) {
                    assertEquals(2, files.filter(f -> f.toString().endsWith(".json")).count());
                }
            }

            // two broken edits in a row: the newest two are refused ones, the serving version stays fetchable
            String serving = activated.get(0);
            for (String broken : List.of("{\"main_menu\": 1}", "{\"main_menu\": 2}")) {
                Files.writeString(flows.resolve("menu.json"), broken);
                repo.reload();
            }
            List<FlowHistory.Event> events = repo.history().of("menu");
            assertEquals(FlowHistory.Change.REFUSED, events.get(0).change());
            assertTrue(repo.history().kept("menu", events.get(0).version()));
            assertTrue(repo.history().kept("menu", events.get(1).version()));
            assertTrue(repo.history().content("menu", serving).isPresent(), "the serving version, disk " + onDisk);
            assertFalse(repo.history().kept("menu", activated.get(1)), "an older activated version, disk " + onDisk);
        }
    }

    @Test
    void putValidatesBeforeWritingAndDeleteRefusesToBreakACaller() throws Exception {
        Path flows = Path.of("flows");
        for (String f : List.of("contact-centre.json", "card-payment.json")) {
            Files.copy(flows.resolve(f), dir.resolve(f));
        }
        FlowRepository repo = repository();
        repo.load();
        byte[] card = Files.readAllBytes(dir.resolve("card-payment.json"));
        String v1 = repo.entry("card-payment").orElseThrow().version();

        FlowRepository.Update same = repo.put("card-payment", card, null);
        assertEquals(FlowRepository.Result.UNCHANGED, same.result());

        byte[] broken = new String(card, StandardCharsets.UTF_8).replace("\"next\": \"card_expiry\"",
                "\"next\": \"nowhere\"").getBytes(StandardCharsets.UTF_8);
        FlowRepository.Update refused = repo.put("card-payment", broken, null);
        assertEquals(FlowRepository.Result.INVALID, refused.result());
        assertTrue(refused.checked().diagnostics().stream().anyMatch(d -> d.rule().equals("unknown-target")),
                refused.checked().diagnostics().toString());
        assertArrayEquals(card, Files.readAllBytes(dir.resolve("card-payment.json")), "nothing written");

        assertEquals(FlowRepository.Result.VERSION_MISMATCH, repo.put("card-payment", card, "0000000000000000").result());
        assertEquals(FlowRepository.Result.BAD_ID, repo.put("other-id", card, null).result());
        assertEquals(FlowRepository.Result.BAD_ID, repo.put("../x", card, null).result());

        byte[] changed = new String(card, StandardCharsets.UTF_8).replace("Please enter your card number",
                "Enter your card number").getBytes(StandardCharsets.UTF_8);
        FlowRepository.Update activated = repo.put("card-payment", changed, v1);
        assertEquals(FlowRepository.Result.ACTIVATED, activated.result(), activated.message());
        assertNotEquals(v1, repo.entry("card-payment").orElseThrow().version());
        assertArrayEquals(changed, Files.readAllBytes(dir.resolve("card-payment.json")));
        assertEquals(List.of(), Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                "no temporary file left");

        FlowRepository.Update inUse = repo.delete("card-payment", null);
        assertEquals(FlowRepository.Result.CONFLICT, inUse.result());
        assertTrue(inUse.message().contains("contact-centre"), inUse.message());
        assertTrue(Files.exists(dir.resolve("card-payment.json")));
        assertEquals(FlowRepository.Result.REMOVED, repo.delete("contact-centre", null).result());
        assertEquals(FlowRepository.Result.REMOVED, repo.delete("card-payment", null).result());
        assertTrue(repo.catalog().all().isEmpty());
        assertEquals(FlowRepository.Result.NOT_FOUND, repo.delete("card-payment", null).result());
        assertEquals(FlowHistory.Change.REMOVED, repo.history().of("card-payment").get(0).change());
        assertEquals("api", repo.history().of("card-payment").get(0).source());
    }
}
