package io.ivrflow.observe;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.TraceEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The call log: one line per call step, on the logger {@code io.ivrflow.calls}, for operators following a call
 * ({@code grep call=<id>}):
 * <pre>
 * call=CA12 platform=plivo flow=inspireworks release=3f2a… node=sales event=digits:1 path=main_menu>sales action=say:sales.prompt,queue:sales
 * </pre>
 * Keys typed at a node marked {@code sensitive} show as {@code ****}; prompts are named, never spoken out (their
 * words may carry a sensitive variable); a variable set shows its name only.
 */
public final class CallLog {

    static final Logger LOG = LoggerFactory.getLogger("io.ivrflow.calls");
    static final String REDACTED = "****";

    private CallLog() {
    }

    static void write(CallStep s) {
        if (LOG.isInfoEnabled()) {
            LOG.info(line(s));
        }
    }

    /** The line for a step (package-visible for its test). */
    static String line(CallStep s) {
        CallState state = s.state();
        StringBuilder b = new StringBuilder(160);
        b.append("call=").append(state.callId())
                .append(" platform=").append(s.platform())
                .append(" flow=").append(state.flowId() != null ? state.flowId() : s.flowId());
        if (s.release() != null) {
            b.append(" release=").append(s.release());
        }
        b.append(" node=").append(state.nodeId() == null ? "-" : state.nodeId())
                .append(" event=").append(event(s));
        // plain loops, no streams or regular expressions: this runs for every step of every call
        String separator = " path=";
        for (TraceEntry t : s.step().trace()) {
            b.append(separator).append(t.nodeId());
            separator = ">";
        }
        b.append(" action=");
        if (s.step().actions().isEmpty()) {
            b.append('-');
        }
        separator = "";
        for (Action a : s.step().actions()) {
            b.append(separator).append(action(a));
            separator = ",";
        }
        b.append(" phase=").append(state.phase().name().toLowerCase());
        if (s.ended() && state.outcome() != null) {
            b.append(" outcome=").append(state.outcome().label());
        }
        return b.toString();
    }

    private static String event(CallStep s) {
        Event e = s.event();
        return e == null ? "adapter-failure" : e.accept(new EventNames(s.collectedInput()));
    }

    /** How each event reads in the line; keys typed at a collect node never show, menu choices do. */
    private record EventNames(boolean collected) implements Event.Visitor<String> {
        @Override
        public String callStarted(Event.CallStarted started) {
            return "call-started";
        }

        @Override
        public String digits(Event.Digits d) {
            return "digits:" + (collected ? REDACTED : d.keys());
        }

        @Override
        public String noInput(Event.NoInput noInput) {
            return "no-input";
        }

        @Override
        public String playbackFinished(Event.PlaybackFinished finished) {
            return "playback-finished";
        }

        @Override
        public String timerFired(Event.TimerFired timer) {
            return "timer-fired";
        }

        @Override
        public String lookupResult(Event.LookupResult r) {
            return "lookup-result:" + r.status().name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String recordingChanged(Event.RecordingChanged r) {
            return "recording:" + (r.ok() ? "ok" : "refused");
        }

        @Override
        public String transferFailed(Event.TransferFailed f) {
            return "transfer-failed:" + f.reason().name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String transferCompleted(Event.TransferCompleted completed) {
            return "transfer-completed";
        }

        @Override
        public String hangUp(Event.HangUp hangUp) {
            return "hang-up";
        }
    }

    private static String action(Action a) {
        return a.accept(ACTION_NAMES);
    }

    /** How each action reads in the line: prompts by name, variables by name only. */
    private static final Action.Visitor<String> ACTION_NAMES = new Action.Visitor<>() {
        @Override
        public String say(Action.Say s) {
            return "say:" + s.prompt().key();
        }

        @Override
        public String stopPlayback(Action.StopPlayback stop) {
            return "stop-playback";
        }

        @Override
        public String collectDigits(Action.CollectDigits c) {
            return "collect:" + c.nodeId() + (c.sensitive() ? "(sensitive)" : "");
        }

        @Override
        public String transfer(Action.Transfer t) {
            return "transfer:" + t.kind().name().toLowerCase(Locale.ROOT) + ":" + t.destination();
        }

        @Override
        public String enqueue(Action.Enqueue q) {
            return "queue:" + q.queue();
        }

        @Override
        public String voicemail(Action.Voicemail v) {
            return "voicemail:" + v.mailbox();
        }

        @Override
        public String recordControl(Action.RecordControl r) {
            return "record:" + r.operation().name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String lookup(Action.Lookup l) {
            return "lookup:" + l.nodeId();
        }

        @Override
        public String setVariable(Action.SetVariable v) {
            return "set:" + v.name();
        }

        @Override
        public String hangUp(Action.HangUp h) {
            return "hangup" + (h.reason() == null ? "" : ":" + h.reason());
        }
    };
}
