package io.ivrflow.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the engine needs to carry a call on, and nothing else: small and plain so Plivo can carry it
 * in a signed URL and Wazo can keep it in a store.
 *
 * @param flowId      flow the call is in now (a sub-flow while one runs)
 * @param nodeId      node the call is at
 * @param phase       what the call waits for
 * @param afterPlay   what follows the prompts when {@code phase == PLAYING}
 * @param language    language of the call
 * @param variables   call variables (caller, called, platform, language, and the flow's own)
 * @param sensitive   variables that must never be logged
 * @param noInputs    no-input attempts at the current input node
 * @param noMatches   no-match attempts at the current input node
 * @param entry       keys typed so far at the current input node
 * @param wakeAt      when the engine wants a {@link Event.TimerFired}; null for no timer
 * @param pendingRequest id of the lookup the call waits for
 * @param stack       where sub-flows return to, innermost last
 * @param entries     nodes entered since the call started (a safety bound)
 * @param outcome     how the IVR's part ended, once known
 */
public record CallState(String callId, String flowId, String nodeId, Phase phase, AfterPlay afterPlay,
                        String language, Map<String, String> variables, Set<String> sensitive, int noInputs,
                        int noMatches, String entry, Instant wakeAt, String pendingRequest, List<Frame> stack,
                        int entries, Outcome outcome) {

    public CallState {
        variables = Map.copyOf(variables);
        sensitive = Set.copyOf(sensitive);
        stack = List.copyOf(stack);
    }

    public enum Phase {
        /** Prompts are playing; {@link AfterPlay} says what comes next. */
        PLAYING,
        /** Reading keys. */
        COLLECTING,
        /** Waiting for a {@link Event.LookupResult}. */
        LOOKING_UP,
        /** Waiting for a {@link Event.RecordingChanged}. */
        RECORDING,
        /** Handed to a transfer, queue, agent or voicemail; waiting to hear whether it took. */
        CONNECTING,
        /** Over. */
        ENDED
    }

    public enum AfterPlay {
        /** Do what the node does (route, transfer, ...). */
        ACT,
        /** Start reading keys. */
        COLLECT,
        /** Hang up. */
        HANG_UP
    }

    /** A sub-flow call: where to go on return. */
    public record Frame(String flowId, String nodeId) {
    }

    /**
     * Variables by name only and the keys typed so far as stars: adapters may log a state, and values are the
     * caller's number, what the caller typed, what a lookup found about them.
     */
    @Override
    public String toString() {
        return "CallState[callId=" + callId + ", flowId=" + flowId + ", nodeId=" + nodeId + ", phase=" + phase
                + ", afterPlay=" + afterPlay + ", language=" + language + ", variables="
                + new java.util.TreeSet<>(variables.keySet()) + ", noInputs="
                + noInputs + ", noMatches=" + noMatches + ", entry=" + "*".repeat(entry.length()) + ", wakeAt="
                + wakeAt + ", pendingRequest=" + pendingRequest + ", stack=" + stack + ", entries=" + entries
                + ", outcome=" + outcome + "]";
    }

    public boolean ended() {
        return phase == Phase.ENDED;
    }

    /**
     * The call is at a collect node: what the caller types is data (an account, a callback number, a card), not a
     * menu choice, and never reaches a log line.
     */
    public boolean collecting(io.ivrflow.flow.FlowCatalog flows) {
        return flows.find(flowId).map(f -> f.node(nodeId)).filter(n -> n instanceof io.ivrflow.flow.Node.Collect)
                .isPresent();
    }

    /** The current input is marked sensitive: not even the platform may log it (Plivo's GetDigits log="false"). */
    public boolean collectingSensitive(io.ivrflow.flow.FlowCatalog flows) {
        return flows.find(flowId).map(f -> f.node(nodeId))
                .filter(n -> n instanceof io.ivrflow.flow.Node.Collect c && c.sensitive()).isPresent();
    }
}
