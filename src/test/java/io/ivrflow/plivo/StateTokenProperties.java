package io.ivrflow.plivo;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * State tokens of any call state: they open to what was sealed, and any change to one (a flipped bit anywhere, a
 * cut, bytes added), another call's token, or a string that is no token is refused as such, never with another
 * exception and never opening to some other state.
 */
class StateTokenProperties {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private final StateToken tokens = new StateToken("property-secret", Duration.ofHours(24));

    @Property(tries = 300, seed = "302785482319305228")
    void aSealedStateOpensToWhatWasSealed(@ForAll("sealed") StateToken.Sealed s) throws Exception {
        assertEquals(s, tokens.open(tokens.seal(s, NOW), s.state().callId(), NOW));
    }

    @Property(tries = 500, seed = "840929101273675072")
    void anyFlippedBitIsRefused(@ForAll("sealed") StateToken.Sealed s, @ForAll @IntRange(min = 0, max = 100_000) int at,
                                @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] raw = Base64.getUrlDecoder().decode(tokens.seal(s, NOW));
        raw[at % raw.length] ^= (byte) (1 << bit);
        String changed = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open(changed, s.state().callId(), NOW));
    }

    @Property(tries = 300, seed = "528529236767388779")
    void aCutOrLengthenedTokenIsRefused(@ForAll("sealed") StateToken.Sealed s, @ForAll @IntRange(min = 1, max = 2_000) int cut,
                                        @ForAll @StringLength(min = 1, max = 8) String more) {
        String token = tokens.seal(s, NOW);
        String shorter = token.substring(0, Math.max(0, token.length() - cut));
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open(shorter, s.state().callId(), NOW));
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open(token + more, s.state().callId(), NOW));
    }

    @Property(tries = 200, seed = "187661595171881248")
    void anotherCallsTokenIsRefused(@ForAll("sealed") StateToken.Sealed s, @ForAll @StringLength(min = 1, max = 40) String other) {
        String token = tokens.seal(s, NOW);
        if (!other.equals(s.state().callId())) {
            assertThrows(StateToken.InvalidToken.class, () -> tokens.open(token, other, NOW));
        }
    }

    @Property(tries = 300, seed = "783695193187920365")
    void aStringThatIsNoTokenIsRefused(@ForAll @StringLength(max = 600) String anything) {
        assertThrows(StateToken.InvalidToken.class, () -> tokens.open(anything, "call-1", NOW));
    }

    // ---------------------------------------------------------------- states of every shape

    @Provide
    Arbitrary<StateToken.Sealed> sealed() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(30);
        Arbitrary<String> maybe = Arbitraries.oneOf(text, Arbitraries.just(null));
        Arbitrary<Map<String, String>> variables = Arbitraries.maps(text, Arbitraries.strings().ofMaxLength(200))
                .ofMaxSize(8);
        Arbitrary<List<CallState.Frame>> stack = Combinators.combine(text, text).as(CallState.Frame::new).list()
                .ofMaxSize(3);
        Arbitrary<Outcome> outcome = Arbitraries.oneOf(Arbitraries.just(null),
                Combinators.combine(Arbitraries.of(Outcome.Kind.class), maybe).as(Outcome::new));
        Arbitrary<CallState> state = Combinators.combine(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40), maybe, maybe,
                Arbitraries.of(CallState.Phase.class),
                Arbitraries.oneOf(Arbitraries.of(CallState.AfterPlay.class), Arbitraries.just(null)), maybe,
                variables, stack).as((id, flow, node, phase, after, lang, vars, frames) ->
                new CallState(id, flow, node, phase, after, lang, vars, Set.copyOf(vars.keySet().stream()
                        .limit(2).toList()), 1, 2, "12", null, null, frames, 3, null));
        return Combinators.combine(state, maybe, Arbitraries.integers().between(0, 1_000_000), outcome)
                .as((st, release, step, out) -> new StateToken.Sealed(new CallState(st.callId(), st.flowId(),
                        st.nodeId(), st.phase(), st.afterPlay(), st.language(), st.variables(), st.sensitive(),
                        st.noInputs(), st.noMatches(), st.entry(), NOW.plusSeconds(step % 60), st.pendingRequest(),
                        st.stack(), st.entries(), out), release, step));
    }
}
