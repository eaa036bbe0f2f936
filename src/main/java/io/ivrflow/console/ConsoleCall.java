package io.ivrflow.console;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.ops.ApiError;
import io.ivrflow.ops.UserInput;
import io.ivrflow.sim.SimulatedCall;
import io.ivrflow.sim.World;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One call made from the console's keypad: a {@link SimulatedCall} on a virtual clock, taken in turns. After each
 * turn the call has run until the IVR listens for keys or the call is over, so the caller always acts on what the
 * console shows. One turn at a time: a double click cannot interleave two.
 */
final class ConsoleCall {

    /** Keys a phone has; at most a long card number with its terminator in one go. */
    static final Pattern KEYS = Pattern.compile("[0-9*#]{1,32}");

    private final String id;
    private final String flowId;
    private final FlowCatalog flows;
    private final SimulatedCall call;
    private final PromptAudio audio;
    /** What the console can play for each prompt heard, in order, worked out once. */
    private final List<PromptAudio.Sound> sounds = new ArrayList<>();

    /**
     * What a call from the console starts with.
     *
     * @param start null: the flow's start node
     */
    record Start(String flowId, String caller, String called, String language, Instant at, String start,
                 World world) {
    }

    private ConsoleCall(String id, String flowId, FlowCatalog flows, SimulatedCall call, PromptAudio audio) {
        this.id = id;
        this.flowId = flowId;
        this.flows = flows;
        this.call = call;
        this.audio = audio;
    }

    /** Dials: the call runs until the IVR first listens (or ends). The flows are the ones loaded now, for good. */
    static ConsoleCall start(String id, Start s, FlowCatalog flows, PromptAudio audio) {
        Event.CallStarted started = new Event.CallStarted("console-" + id, s.caller(), s.called(), "sim",
                s.language(), Map.of());
        SimulatedCall call = SimulatedCall.start(new Engine(flows), flows, s.world(), s.flowId(), s.start(),
                started, s.at());
        ConsoleCall c = new ConsoleCall(id, s.flowId(), flows, call, audio);
        c.settle();
        return c;
    }

    String id() {
        return id;
    }

    String flowId() {
        return flowId;
    }

    synchronized CallView view() {
        return CallView.of(this);
    }

    /** The caller presses keys, one after the other, once the IVR listens. */
    synchronized CallView press(String keys) {
        if (keys == null || !KEYS.matcher(keys).matches()) {
            throw ApiError.badRequest("keys must be 1 to 32 of 0-9, * and #; got " + (keys == null ? "none"
                    : "\"" + UserInput.shown(keys) + "\""));
        }
        listening();
        call.press(keys);
        settle();
        return CallView.of(this);
    }

    /** The caller says nothing until the next timer runs out (no input, the end of an entry). */
    synchronized CallView staySilent() {
        listening();
        call.staySilent();
        settle();
        return CallView.of(this);
    }

    synchronized CallView hangUp() {
        call.hangUp();
        return CallView.of(this);
    }

    private void listening() {
        if (call.ended()) {
            throw ApiError.conflict("the call has ended (" + call.outcome().label() + ")");
        }
        if (call.state().phase() != CallState.Phase.COLLECTING) {
            throw ApiError.conflict("the call is stuck at " + call.state().nodeId() + ": nothing more will happen");
        }
    }

    /**
     * Runs the call until the IVR listens or the call ends. A call that does neither waits for nothing that will
     * ever come: it is marked stuck, as scenarios do.
     */
    private void settle() {
        call.untilListening();
        if (!call.ended() && call.state().phase() != CallState.Phase.COLLECTING) {
            call.finish();
        }
    }

    // ---------------------------------------------------------------- for the view (under the call's lock)

    SimulatedCall call() {
        return call;
    }

    FlowCatalog flows() {
        return flows;
    }

    /** What the console can play for the prompts heard so far (the simulator records one per Say, in order). */
    List<PromptAudio.Sound> sounds() {
        if (sounds.size() < call.heard().size()) {
            List<RenderedPrompt> said = call.actions().stream().filter(a -> a instanceof Action.Say)
                    .map(a -> ((Action.Say) a).prompt()).toList();
            for (int i = sounds.size(); i < call.heard().size(); i++) {
                sounds.add(audio.of(said.get(i)));
            }
        }
        return sounds;
    }
}
