package io.ivrflow.plivo;

import io.ivrflow.engine.Action;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DialTargetsTest {

    private final DialTargets targets = new DialTargets(PlivoSettings.of(Map.of("ivr.plivo.destinations",
            " sales = sip:sales@acme.sip.plivo.com, 2001=+15550102001")).destinations(), "pbx.acme.example");
    private final DialTargets noDomain = new DialTargets(Map.of(), "");

    private static Action.Transfer transfer(Action.Destination kind, String to) {
        return new Action.Transfer(kind, to, "default", null, Duration.ofSeconds(20));
    }

    @Test
    void namedDestinationsWinThenTheSipDomain() {
        assertEquals(Optional.of(new DialTargets.Target(true, "sip:sales@acme.sip.plivo.com")),
                targets.resolve(new Action.Enqueue("sales", null)));
        assertEquals(Optional.of(new DialTargets.Target(false, "+15550102001")), targets.resolve(transfer(Action.Destination.AGENT, "2001")));
        assertEquals(Optional.of(new DialTargets.Target(true, "sip:1000@pbx.acme.example")),
                targets.resolve(transfer(Action.Destination.EXTENSION, "1000")));
        assertEquals(Optional.of(new DialTargets.Target(true, "sip:support@pbx.acme.example")),
                targets.resolve(new Action.Enqueue("support", null)));
    }

    @Test
    void numbersAndSipUrisAreDialledAsTheyAre() {
        assertEquals(Optional.of(new DialTargets.Target(false, "+15550123456")), noDomain.resolve(transfer(Action.Destination.NUMBER, "+15550123456")));
        assertEquals(Optional.of(new DialTargets.Target(true, "sip:bob@example.com")), noDomain.resolve(transfer(Action.Destination.SIP, "sip:bob@example.com")));
    }

    @Test
    void whatHasNoAddressOnPlivoIsEmpty() {
        assertEquals(Optional.empty(), noDomain.resolve(new Action.Enqueue("sales", null)));
        assertEquals(Optional.empty(), noDomain.resolve(transfer(Action.Destination.EXTENSION, "1000")));
        assertEquals(Optional.empty(), noDomain.resolve(transfer(Action.Destination.NUMBER, "call me maybe")));
        assertEquals(Optional.empty(), targets.resolve(transfer(Action.Destination.NUMBER, "bad")));
        assertEquals(Optional.empty(), targets.resolve(new Action.HangUp("normal")));
    }
}
