package io.ivrflow.plivo;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateTokenTest {

    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");
    private final StateToken tokens = new StateToken("secret-one", Duration.ofHours(24));

    private static CallState rich() {
        return new CallState("call-1", "card-payment", "card_expiry", CallState.Phase.COLLECTING,
                CallState.AfterPlay.COLLECT, "es-US",
                Map.of("caller", "+15550100000", "card", "4000000000000002", "name", "Lucía Pérez ✓"), Set.of("card"),
                2, 1, "12", NOW.plusSeconds(5), "call-1#7",
                List.of(new CallState.Frame("contact-centre", "payment")), 42,
                new Outcome(Outcome.Kind.QUEUED, "sales"));
    }

    private String seal(CallState state) {
        return tokens.seal(new StateToken.Sealed(state, "r-2026-11-23-1", 7), NOW);
    }

    @Test
    void aSealedStateOpensToTheSameStateReleaseAndStep() throws Exception {
        StateToken.Sealed s = new StateToken.Sealed(rich(), "r-2026-11-23-1", 7);
        assertEquals(s, tokens.open(tokens.seal(s, NOW), "call-1", NOW));
        CallState bare = new CallState("c", null, null, CallState.Phase.PLAYING, null, null, Map.of(), Set.of(), 0, 0,
                "", null, null, List.of(), 0, null);
        StateToken.Sealed plain = new StateToken.Sealed(bare, null, 1);
        assertEquals(plain, tokens.open(tokens.seal(plain, NOW), "c", NOW));
    }

    @Test
    void tokensAreUrlSafeCompactAndHideTheVariables() {
        String token = seal(rich());
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        assertTrue(token.length() < 400, "length " + token.length());
        String bytes = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains("4000000000000002"), "the card number is readable in the token");
        assertFalse(bytes.contains("card-payment"));
        assertNotEquals(token, seal(rich()), "a fresh nonce per token");
    }

    @Test
    void anyChangedCharacterIsRefused() {
        String token = seal(rich());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThrows(StateToken.InvalidToken.class, () -> tokens.open(changed, "call-1", NOW), "position " + i);
        }
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open(token.substring(0, token.length() - 4), "call-1", NOW));
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open(token + "AAAA", "call-1", NOW));
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open("not base64!", "call-1", NOW));
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open("", "call-1", NOW));
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open(null, "call-1", NOW));
    }

    @Test
    void anotherSecretAnotherCallOrAnOldTokenIsRefused() throws Exception {
        String token = seal(rich());
        StateToken.InvalidToken other = assertThrows(StateToken.InvalidToken.class,
                () -> new StateToken("secret-two", Duration.ofHours(24)).open(token, "call-1", NOW));
        assertTrue(other.getMessage().contains("signature"));
        StateToken.InvalidToken borrowed = assertThrows(StateToken.InvalidToken.class,
                () -> tokens.open(token, "call-2", NOW));
        assertTrue(borrowed.getMessage().contains("another call"));
        assertEquals(rich(), tokens.open(token, "call-1", NOW.plus(Duration.ofHours(23))).state());
        StateToken.InvalidToken old = assertThrows(StateToken.InvalidToken.class,
                () -> tokens.open(token, "call-1", NOW.plus(Duration.ofHours(25))));
        assertTrue(old.getMessage().contains("expired"));
        assertFalse(old.getMessage().contains("4000000000000002"));
    }

    @Test
    void anEmptySecretIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new StateToken("", Duration.ofHours(1)));
        assertNotEquals(StateToken.randomSecret(), StateToken.randomSecret());
    }
}
