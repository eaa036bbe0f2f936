package io.ivrflow.plivo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay guard on its own: what it answers, how long it remembers, and that its memory is bounded. */
class WebhookReplaysTest {

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-12-04T09:00:00Z"));
    private final AtomicInteger handled = new AtomicInteger();

    private WebhookReplays.Answer ask(WebhookReplays replays, String request, String callId, int step) {
        return replays.answer(request, callId, step, () -> "doc-" + handled.incrementAndGet(), () -> "refused");
    }

    @Test
    void stepsGoForwardOnlyAndRepeatsGetTheFirstDocument() {
        WebhookReplays replays = new WebhookReplays(100, Duration.ofMinutes(2), 100, Duration.ofHours(24), clock);
        assertEquals(new WebhookReplays.Answer("doc-1", WebhookReplays.Verdict.ANSWERED), ask(replays, "answer|c", "c", 0));
        assertEquals(new WebhookReplays.Answer("doc-2", WebhookReplays.Verdict.ANSWERED), ask(replays, "input|t1", "c", 1));
        assertEquals(new WebhookReplays.Answer("doc-2", WebhookReplays.Verdict.REPEATED), ask(replays, "input|t1", "c", 1));
        assertEquals(new WebhookReplays.Answer("refused", WebhookReplays.Verdict.REFUSED), ask(replays, "noinput|t1", "c", 1));
        assertEquals(new WebhookReplays.Answer("doc-3", WebhookReplays.Verdict.ANSWERED), ask(replays, "input|t2", "c", 2));
        // a call this instance never saw (started elsewhere, or forgotten) is taken at its word
        assertEquals(WebhookReplays.Verdict.ANSWERED, ask(replays, "input|x5", "other", 5).verdict());
        // without a call id there is nothing to tell calls apart by
        assertEquals(WebhookReplays.Verdict.ANSWERED, ask(replays, "answer|", "", 0).verdict());
        assertEquals(WebhookReplays.Verdict.ANSWERED, ask(replays, "answer|", "", 0).verdict());
        assertEquals(6, handled.get());
    }

    @Test
    void documentsAreForgottenAfterTheirTimeButStepsAreNot() {
        WebhookReplays replays = new WebhookReplays(100, Duration.ofMinutes(2), 100, Duration.ofHours(24), clock);
        ask(replays, "input|t1", "c", 1);
        clock.set(Instant.parse("2026-12-04T09:02:01Z"));
        assertEquals(0, replays.documentsKept());
        assertEquals(WebhookReplays.Verdict.REFUSED, ask(replays, "input|t1", "c", 1).verdict());
        clock.set(Instant.parse("2026-12-05T09:03:00Z"));
        assertEquals(0, replays.callsRemembered(), "a call is remembered as long as its tokens live, no longer");
    }

    @Test
    void memoryIsBoundedWhateverTheTraffic() {
        WebhookReplays replays = new WebhookReplays(50, Duration.ofMinutes(2), 200, Duration.ofHours(24), clock);
        for (int call = 0; call < 5_000; call++) {
            ask(replays, "answer|call-" + call, "call-" + call, 0);
            ask(replays, "input|token-" + call, "call-" + call, 1);
        }
        assertTrue(replays.documentsKept() <= 50, "documents kept: " + replays.documentsKept());
        assertTrue(replays.callsRemembered() <= 200, "calls remembered: " + replays.callsRemembered());
    }

    @Test
    void aFailedAnswerIsNotKeptSoACopyIsHandledAfresh() {
        WebhookReplays replays = new WebhookReplays(100, Duration.ofMinutes(2), 100, Duration.ofHours(24), clock);
        assertThrows(IllegalStateException.class, () -> replays.answer("input|t1", "c", 1, () -> {
            throw new IllegalStateException("boom");
        }, () -> "refused"));
        assertEquals(0, replays.documentsKept());
        assertEquals(WebhookReplays.Verdict.ANSWERED, ask(replays, "input|t1", "c", 1).verdict());
    }
}
