package io.ivrflow.console;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Outcome;
import io.ivrflow.engine.TraceEntry;
import io.ivrflow.flow.Node;
import io.ivrflow.sim.Heard;
import io.ivrflow.sim.SimulatedCall;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A console call as the page shows it. Times are milliseconds of call time (the virtual clock) since the call
 * started. Sensitive entries (a card number) are shown as stars, in the keys typed and in the variables.
 *
 * @param phase         {@code playing}, {@code collecting}, {@code looking_up}, {@code recording},
 *                      {@code connecting}, {@code ended}
 * @param listening     the IVR waits for keys: the keypad is live
 * @param entry         keys typed so far at the current input node
 * @param silenceMillis how long the IVR waits for a key before its timer runs out; null when not listening
 * @param variables     the call's variables
 * @param stuck         the call waits for something that will never come
 */
public record CallView(String id, String flow, String phase, boolean listening, boolean ended, boolean stuck,
                       Position node, String language, String entry, Long silenceMillis, long elapsedMillis,
                       String startedAt, List<HeardPrompt> heard, List<Step> trace, List<String> timeline,
                       Result outcome, Map<String, String> variables) {

    /**
     * Where the call is.
     *
     * @param stack the sub-flow calls it is in, outermost first, as {@code flow/node} of the node it returns to
     */
    public record Position(String flow, String id, String kind, List<String> stack) {
    }

    /** A prompt the caller heard (or began to hear, when interrupted), and what the console can play for it. */
    public record HeardPrompt(long atMillis, String flow, String node, String language, String voice, String words,
                              boolean interrupted, PromptAudio.Sound sound) {
    }

    /** The call entered a node, from another by an exit ({@code key:1}, {@code noInput}...). */
    public record Step(long atMillis, String flow, String node, String from, String exit) {
    }

    /** {@code label} is the form scenarios use: {@code queued:sales}, {@code hung-up:goodbye}. */
    public record Result(String kind, String target, String label) {
    }

    static CallView of(ConsoleCall c) {
        SimulatedCall call = c.call();
        CallState s = call.state();
        Instant start = call.startedAt();
        String kind = c.flows().find(s.flowId()).map(f -> f.node(s.nodeId())).map(Node::kind).orElse(null);
        List<String> stack = s.stack().stream().map(f -> f.flowId() + "/" + f.nodeId()).toList();
        boolean listening = s.phase() == CallState.Phase.COLLECTING && !call.ended();
        String entry = s.collectingSensitive(c.flows()) ? "*".repeat(s.entry().length()) : s.entry();
        Long silence = listening && s.wakeAt() != null ? Duration.between(call.now(), s.wakeAt()).toMillis() : null;

        List<HeardPrompt> heard = new ArrayList<>();
        List<PromptAudio.Sound> sounds = c.sounds();
        for (int i = 0; i < call.heard().size(); i++) {
            Heard h = call.heard().get(i);
            heard.add(new HeardPrompt(millis(start, h.at()), flowAt(call, h.at()), h.nodeId(), h.language(), h.voice(),
                    h.text(), h.interrupted(), sounds.get(i)));
        }
        List<Step> trace = new ArrayList<>();
        for (TraceEntry t : call.trace()) {
            trace.add(new Step(millis(start, t.at()), t.flowId(), t.nodeId(), t.from(), t.edge()));
        }
        Outcome o = call.outcome();
        Result result = o == null ? null : new Result(o.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                o.target(), o.label());
        Map<String, String> variables = new TreeMap<>(s.variables());
        s.sensitive().forEach(name -> variables.computeIfPresent(name, (k, v) -> "*".repeat(v.length())));
        return new CallView(c.id(), c.flowId(), s.phase().name().toLowerCase(Locale.ROOT), listening, call.ended(),
                call.stuck(), new Position(s.flowId(), s.nodeId(), kind, stack), s.language(), entry, silence,
                call.elapsed().toMillis(), start.toString(), heard, trace, call.timeline(), result, variables);
    }

    /** The flow the call was in at that instant: that of the last node entered by then. */
    private static String flowAt(SimulatedCall call, Instant at) {
        String flow = null;
        for (TraceEntry t : call.trace()) {
            if (t.at().isAfter(at)) {
                break;
            }
            flow = t.flowId();
        }
        return flow;
    }

    private static long millis(Instant start, Instant at) {
        return Duration.between(start, at).toMillis();
    }
}
