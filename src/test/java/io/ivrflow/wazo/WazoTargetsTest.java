package io.ivrflow.wazo;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Hand-offs that need no Wazo service: configured names, extensions, numbers, mailboxes, SIP. */
class WazoTargetsTest {

    final WazoTargets targets = new WazoTargets(null, null, WazoSettings.of(Map.of("ivr.wazo.destinations",
            "mailbox:general=8000@voicemail, vip = 1234@vip-ctx,queue:sales=3001")).destinations(),
            "default", "to-extern", "*97", "default");

    Confd.Extension target(Action a) {
        WazoTargets.Resolution r = targets.resolve(a).join();
        assertNull(r.failure(), () -> "failed: " + r.failure());
        return r.target();
    }

    @Test
    void parsesConfiguredDestinationsWithTheDefaultContext() {
        Map<String, Confd.Extension> d = WazoSettings.of(Map.of("ivr.wazo.destinations",
                "general=8000@voicemail,queue:sales=3001", "ivr.wazo.default-context", "d")).destinations();
        assertEquals(new Confd.Extension("8000", "voicemail"), d.get("general"));
        assertEquals(new Confd.Extension("3001", "d"), d.get("queue:sales"));
    }

    @Test
    void extensionsNumbersAndMailboxes() {
        assertEquals(new Confd.Extension("1000", "default"),
                target(new Action.Transfer(Action.Destination.EXTENSION, "1000", null, null, Duration.ofSeconds(30))));
        assertEquals(new Confd.Extension("1000", "sales-ctx"),
                target(new Action.Transfer(Action.Destination.EXTENSION, "1000", "sales-ctx", null, null)));
        assertEquals(new Confd.Extension("+15551234567", "to-extern"),
                target(new Action.Transfer(Action.Destination.NUMBER, "+1 (555) 123-4567", null, null, null)));
        // the queue named sales does not capture the mailbox named sales
        assertEquals(new Confd.Extension("*97sales", "default"), target(new Action.Voicemail("sales", null)));
        assertEquals(new Confd.Extension("8000", "voicemail"), target(new Action.Voicemail("general", null)));
        assertEquals(new Confd.Extension("1234", "vip-ctx"),
                target(new Action.Transfer(Action.Destination.EXTENSION, "vip", null, null, null)));
        // a configured queue needs no confd, but agentd is still asked: see WazoScenariosTest for queues
    }

    @Test
    void aSipAddressCannotBeCalledIntoANode() {
        WazoTargets.Resolution r = targets.resolve(new Action.Transfer(Action.Destination.SIP,
                "sip:alice@example.com", null, null, null)).join();
        assertEquals(Event.FailureReason.FAILED, r.failure().reason());
    }
}
