package io.ivrflow.wazo;

import io.ivrflow.engine.CallState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One call on Wazo, as plain data: the engine's state plus what the adapter must remember between bus events, the
 * prompts to play and the hand-off under way. No futures and no timers: a timer is an instant here
 * ({@link CallState#wakeAt()}, {@link Ringing#deadline()}), a prompt whose audio is still being made is a ticket,
 * so a store can keep a call as it is. Every change makes a new value; only the call's lane makes them.
 *
 * @param release the release of the flows the call started on: it runs on it to the end
 * @param touched the last time anything happened to the call
 * @param answered calld answered the call: prompts can play
 */
public record WazoCall(String callId, String application, String flowId, String release, Instant started,
                       String caller, CallState state, Instant touched, boolean answered, Media media,
                       HandOff handOff, Ending ending) {

    /** A prompt file (or {@code digits:}, {@code tone:} ...) to play, in Wazo's language form ({@code en_US}). */
    public record Playback(String uri, String language) {
    }

    /** How the call is ending. */
    public enum Ending {
        /** It is not. */
        NONE,
        /** The engine hung up while prompts were still to play: hang up after them. */
        AFTER_PROMPTS,
        /** calld was asked to hang up. */
        HANGING_UP
    }

    /** A prompt waiting its turn: ready, or its audio still being made (dynamic words). */
    public sealed interface Queued permits Ready, Making {
    }

    public record Ready(Playback playback) implements Queued {
    }

    /** Audio being made; {@code ticket} names it when it is ready. */
    public record Making(long ticket) implements Queued {
    }

    /** What calld is playing to the caller. */
    public sealed interface Player permits Idle, Starting, Playing {
    }

    public record Idle() implements Player {
    }

    /**
     * A playback asked of calld whose uuid is not known yet.
     *
     * @param stopWhenStarted a key stopped the prompt meanwhile: stop it as soon as its uuid is known
     * @param finishedEarly   playbacks calld reported finished before its answer to the start arrived
     */
    public record Starting(boolean stopWhenStarted, Set<String> finishedEarly) implements Player {
        public Starting {
            finishedEarly = Set.copyOf(finishedEarly);
        }
    }

    public record Playing(String playback) implements Player {
    }

    /** The prompts still to play, in order, and what plays now. */
    public record Media(List<Queued> queue, Player player) {
        public Media {
            queue = List.copyOf(queue);
        }

        static final Media SILENT = new Media(List.of(), new Idle());

        public boolean idle() {
            return player instanceof Idle;
        }

        Media player(Player p) {
            return new Media(queue, p);
        }

        Media enqueue(List<Queued> more) {
            List<Queued> all = new ArrayList<>(queue);
            all.addAll(more);
            return new Media(all, player);
        }

        Media cleared() {
            return new Media(List.of(), player);
        }
    }

    /** Handing the caller to a queue, agent, extension or mailbox: the destination is called into a node. */
    public sealed interface HandOff permits NoHandOff, Calling, Ringing, Connected {
        /** The node holding the caller, or null. */
        String node();

        boolean musicOnHold();
    }

    public record NoHandOff() implements HandOff {
        @Override
        public String node() {
            return null;
        }

        @Override
        public boolean musicOnHold() {
            return false;
        }
    }

    /** The destination is being called into the node ({@code node} null while calld creates it). */
    public record Calling(String node, boolean musicOnHold) implements HandOff {
    }

    /** The call made into the node ({@code leg}) rings until {@code deadline}. */
    public record Ringing(String node, String leg, Instant deadline, boolean musicOnHold) implements HandOff {
    }

    /** The destination answered: the IVR's part is over. */
    public record Connected(String node, String leg) implements HandOff {
        @Override
        public boolean musicOnHold() {
            return false;
        }
    }

    static WazoCall entered(String callId, String application, String flowId, String release, String caller,
                            Instant now) {
        return new WazoCall(callId, application, flowId, release, now, caller, null, now, false, Media.SILENT,
                new NoHandOff(), Ending.NONE);
    }

    /** The call made into the node, if one is ringing or connected. */
    public String leg() {
        return handOff instanceof Ringing r ? r.leg() : handOff instanceof Connected c ? c.leg() : null;
    }

    WazoCall state(CallState s) {
        return new WazoCall(callId, application, flowId, release, started, caller, s, touched, answered, media,
                handOff, ending);
    }

    WazoCall touched(Instant now) {
        return new WazoCall(callId, application, flowId, release, started, caller, state, now, answered, media,
                handOff, ending);
    }

    WazoCall markAnswered() {
        return new WazoCall(callId, application, flowId, release, started, caller, state, touched, true, media,
                handOff, ending);
    }

    WazoCall media(Media m) {
        return new WazoCall(callId, application, flowId, release, started, caller, state, touched, answered, m,
                handOff, ending);
    }

    WazoCall handOff(HandOff h) {
        return new WazoCall(callId, application, flowId, release, started, caller, state, touched, answered, media,
                h, ending);
    }

    WazoCall ending(Ending e) {
        return new WazoCall(callId, application, flowId, release, started, caller, state, touched, answered, media,
                handOff, e);
    }
}
