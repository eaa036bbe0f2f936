package io.ivrflow.wazo;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusEventTest {

    static final String APP = "a0000000-0000-4000-8000-000000000001";

    @Test
    void readsACallEnteredEventAsWazoBusPublishesIt() {
        String body = "{\"name\":\"application_call_entered\",\"origin_uuid\":\"o\",\"application_uuid\":\"" + APP
                + "\",\"data\":{\"application_uuid\":\"" + APP + "\",\"call\":{\"id\":\"1700000000.42\","
                + "\"caller_id_number\":\"+15551234567\",\"variables\":{\"IVR_LANGUAGE\":\"es-US\"}}}}";
        BusEvent e = BusEvent.parse(body, Map.of("name", "application_call_entered", "application_uuid", APP));
        assertEquals("application_call_entered", e.name());
        assertEquals(APP, e.applicationUuid());
        assertEquals("1700000000.42", e.callId());
        assertEquals("+15551234567", e.call("caller_id_number"));
        assertEquals("es-US", e.callVariables().path("IVR_LANGUAGE").asText());
        assertTrue(e.handled());
    }

    @Test
    void theHeaderNameWinsAndTheBodyIsTheFallback() {
        String body = "{\"name\":\"application_call_answered\",\"data\":{\"application_uuid\":\"" + APP
                + "\",\"call\":{\"id\":\"1.2\"}}}";
        assertEquals("application_call_deleted",
                BusEvent.parse(body, Map.of("name", "application_call_deleted")).name());
        assertEquals("application_call_answered", BusEvent.parse(body, Map.of()).name());
    }

    @Test
    void readsDtmfAndPlaybackEvents() {
        BusEvent dtmf = BusEvent.parse("{\"data\":{\"application_uuid\":\"" + APP
                + "\",\"call_id\":\"1.2\",\"dtmf\":\"#\"}}", Map.of("name", "application_call_dtmf_received"));
        assertEquals("1.2", dtmf.callId());
        assertEquals("#", dtmf.dtmf());
        BusEvent playback = BusEvent.parse("{\"data\":{\"application_uuid\":\"" + APP + "\",\"call_id\":\"1.2\","
                + "\"playback\":{\"uuid\":\"p-1\",\"state\":\"failed\"}}}", Map.of("name", "application_playback_deleted"));
        assertEquals("p-1", playback.playbackUuid());
        assertEquals("failed", playback.playbackState());
    }

    @Test
    void eventsTheAdapterDoesNotUseAreReadButNotHandled() {
        BusEvent e = BusEvent.parse("{\"data\":{\"application_uuid\":\"" + APP + "\",\"snoop\":{\"uuid\":\"s\"}}}",
                Map.of("name", "application_snoop_created"));
        assertFalse(e.handled());
    }

    @Test
    void garbledMessagesAreRefusedWithTheReason() {
        Map<String, String> dtmf = Map.of("name", "application_call_dtmf_received");
        assertEquals("body is not JSON", assertThrows(BusEvent.Garbled.class,
                () -> BusEvent.parse("{not json", dtmf)).getMessage());
        assertEquals("body is not a JSON object", assertThrows(BusEvent.Garbled.class,
                () -> BusEvent.parse("[1,2]", dtmf)).getMessage());
        assertEquals("no event name", assertThrows(BusEvent.Garbled.class,
                () -> BusEvent.parse("{\"data\":{}}", Map.of())).getMessage());
        assertTrue(assertThrows(BusEvent.Garbled.class, () -> BusEvent.parse("{\"data\":{\"call_id\":\"1\"}}", dtmf))
                .getMessage().contains("application_uuid"));
        assertTrue(assertThrows(BusEvent.Garbled.class, () -> BusEvent.parse("{\"data\":{\"application_uuid\":\""
                + APP + "\",\"dtmf\":\"1\"}}", dtmf)).getMessage().contains("call id"));
        assertTrue(assertThrows(BusEvent.Garbled.class, () -> BusEvent.parse("{\"data\":{\"application_uuid\":\""
                + APP + "\",\"call_id\":\"1\",\"dtmf\":\"12\"}}", dtmf)).getMessage().contains("one key"));
        assertTrue(assertThrows(BusEvent.Garbled.class, () -> BusEvent.parse("{\"data\":{\"application_uuid\":\""
                + APP + "\",\"call_id\":\"1\"}}", Map.of("name", "application_playback_deleted")))
                .getMessage().contains("playback.uuid"));
        assertThrows(BusEvent.Garbled.class, () -> BusEvent.parse((byte[]) null, dtmf));
    }
}
