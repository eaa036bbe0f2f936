package io.ivrflow.wazo;

import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.wazo.fake.FakeWazo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hot reload on Wazo, on the real broker: a call waiting in a menu when its flow changes goes on with the
 * version it started on; the next call gets the new one.
 */
class WazoReloadTest extends WazoTestSupport {

    static final FakeWazo WAZO;
    private static final Path FIXTURES = Path.of("src/test/resources/operate");
    private static volatile Path flows;

    static {
        WAZO = realTimeFake();
        WAZO.playbackLength = uri -> Duration.ofMillis(50);
    }

    @AfterAll
    static void stopFake() {
        WAZO.close();
    }

    @Override
    FakeWazo wazo() {
        return WAZO;
    }

    @Override
    void moreProperties(Properties p) {
        try {
            flows = Files.createTempDirectory("ivrflow-wazo-flows");
            Files.copy(FIXTURES.resolve("hotline-v1.json"), flows.resolve("hotline.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("ivr.flows.directory", flows.toString());
        p.put("ivr.flows.reload-enabled", "true");
        p.put("ivr.flows.watch-period", "200");
        p.put("ivr.wazo.flow", "hotline");
    }

    @Test
    void aCallWaitingInAMenuKeepsItsVersionAcrossAReload() throws Exception {
        FlowRepository repository = context.getRegistry().lookupByNameAndType("flowRepository", FlowRepository.class);
        String before = repository.current().id();
        String old = WAZO.enter(APP, "+15551230001", "1000", Map.of());
        await(() -> collecting(old), "the call to wait for a key in the menu");

        Path tmp = flows.resolve(".hotline.tmp");
        Files.copy(FIXTURES.resolve("hotline-v2.json"), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, flows.resolve("hotline.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await(() -> !repository.current().id().equals(before), "the new version to serve");

        WAZO.press(old, '1');
        await(() -> sent(old, "+15550001111"), "the old call's transfer to version 1's number");
        assertFalse(sent(old, "+15550002222"), "the old call saw version 2");

        String fresh = WAZO.enter(APP, "+15551230002", "1000", Map.of());
        await(() -> collecting(fresh), "the new call to wait for a key in the menu");
        WAZO.press(fresh, '1');
        await(() -> sent(fresh, "+15550002222"), "the new call's transfer to version 2's number");
        assertTrue(WAZO.violations().isEmpty(), WAZO.violations().toString());
    }

    private boolean collecting(String callId) {
        return journal().find(callId).map(e -> e.last().phase() == io.ivrflow.engine.CallState.Phase.COLLECTING)
                .orElse(false);
    }

    /** A calld request of the call (or of a call made for it) carries this text. */
    private static boolean sent(String callId, String text) {
        return WAZO.requests().stream().anyMatch(r -> r.body() != null && r.body().contains(text))
                && WAZO.requests(callId).size() > 0;
    }

}
