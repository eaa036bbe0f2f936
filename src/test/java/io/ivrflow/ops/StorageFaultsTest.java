package io.ivrflow.ops;

import io.ivrflow.ServiceTestSupport;
import io.ivrflow.TinyDisk;
import io.ivrflow.flowstore.FlowRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The service's own storage failing under it: the prompt cache's disk and the flow history's disk full (a real
 * tmpfs filled up), the flows folder becoming unreadable. Callers are still answered, with the platform's voice
 * and the flows loaded before, the flows API still takes a change, and each fault shows in the metrics and in the
 * {@code ivrflow/faults} health check.
 */
class StorageFaultsTest extends ServiceTestSupport {

    private static final String TOKEN = "storage-faults-token";
    private static final Path FIXTURES = Path.of("src/test/resources/operate");

    private Optional<TinyDisk> disk;
    private Path flows;

    @Override
    protected void properties(Properties p) {
        try {
            disk = TinyDisk.mount(256);
            flows = Files.createTempDirectory("ivrflow-storage-flows");
            Files.copy(FIXTURES.resolve("hotline-v1.json"), flows.resolve("hotline.json"));
            Path on = disk.map(TinyDisk::root).orElse(Files.createTempDirectory("ivrflow-not-tiny"));
            p.put("ivr.flows.directory", flows.toString());
            p.put("ivr.flows.history-directory", on.resolve("history").toString());
            p.put("ivr.prompts.cache-directory", on.resolve("cache").toString());
            p.put("ivr.prompts.backends", "local");
            p.put("ivr.prompts.order", "recorded,cache,synthesis,platform");
            p.put("ivr.manage.token", TOKEN);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk.isPresent()) {
            disk.get().close();
        }
    }

    private TinyDisk fullDisk() throws IOException {
        assumeTrue(disk.isPresent(), "a tmpfs can only be mounted by root: this machine's CI runs as root");
        disk.get().fill();
        return disk.get();
    }

    private String answer(String callId) throws Exception {
        return send(httpPort, "POST", "/plivo/hotline/answer", "CallUUID=" + callId + "&From=%2B15550100000"
                + "&To=%2B15550199999&Direction=inbound", "Content-Type", "application/x-www-form-urlencoded").body();
    }

    @Test
    void aFullPromptCacheDiskLeavesCallersHearingThePlatformsVoice() throws Exception {
        fullDisk();
        String xml = answer("disk-full-1");
        assertTrue(xml.contains("<Speak") && xml.contains("Press 1 for sales."), "the caller hears Plivo's voice: " + xml);
        // the synthesis made meanwhile cannot be kept: counted, and said in the health check
        await(() -> faults("prompt-cache", "write") >= 1, "the failed cache write to be counted");
        assertTrue(faultDetail("prompt-cache", "write").contains("No space left on device"),
                faultDetail("prompt-cache", "write"));
        assertTrue(answer("disk-full-2").contains("Press 1 for sales."), "the next caller too");
    }

    @Test
    void aFullHistoryDiskKeepsTheFlowsApiTakingChanges() throws Exception {
        fullDisk();
        String v2 = Files.readString(FIXTURES.resolve("hotline-v2.json"));
        HttpResponse<String> put = send(managementPort, "PUT", "/manage/flows/hotline", v2,
                "Authorization", "Bearer " + TOKEN);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(v2, Files.readString(flows.resolve("hotline.json")), "the flow itself is on another disk");
        HttpResponse<String> versions = send(managementPort, "GET", "/manage/flows/hotline/versions", null,
                "Authorization", "Bearer " + TOKEN);
        assertTrue(json(versions).toString().contains(json(put).path("version").asText()),
                "the new version is in the history (kept in memory): " + versions.body());
        assertTrue(faults("flow-history", "write") >= 1);
        assertTrue(faultDetail("flow-history", "write").contains("No space left on device"),
                faultDetail("flow-history", "write"));
    }

    @Test
    void anUnreadableFlowsFolderKeepsTheFlowsLoadedBefore() throws Exception {
        FlowRepository repository = context.getRegistry().lookupByNameAndType("flowRepository", FlowRepository.class);
        Path away = flows.resolveSibling(flows.getFileName() + ".away");
        Files.move(flows, away);
        // the folder's path now loops on itself: nothing can read it, root included
        Files.createSymbolicLink(flows, flows);
        try {
            repository.reload();
            assertEquals(1, faults("flows-folder", "read"));
            assertTrue(faultDetail("flows-folder", "read").contains("is not a readable folder"),
                    faultDetail("flows-folder", "read"));
            assertEquals(1, repository.catalog().all().size(), "the flow loaded before still serves");
            assertTrue(answer("unreadable-1").contains("Press 1 for sales."));
        } finally {
            Files.delete(flows);
            Files.move(away, flows);
        }
        repository.reload();
        assertEquals(1, faults("flows-folder", "read"), "read again: no new fault");
    }

}
