package io.ivrflow.observe;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.TraceEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        if (e == null) {
            return "adapter-failure";
        }
        if (e instanceof Event.Digits d) {
            return "digits:" + (s.sensitiveInput() ? REDACTED : d.keys());
        }
        if (e instanceof Event.CallStarted) {
            return "call-started";
        }
        if (e instanceof Event.LookupResult r) {
            return "lookup-result:" + r.status().name().toLowerCase();
        }
        if (e instanceof Event.TransferFailed f) {
            return "transfer-failed:" + f.reason().name().toLowerCase();
        }
        if (e instanceof Event.RecordingChanged r) {
            return "recording:" + (r.ok() ? "ok" : "refused");
        }
        return kebab(e.getClass());
    }

    private static String action(Action a) {
        if (a instanceof Action.Say s) {
            return "say:" + s.prompt().key();
        }
        if (a instanceof Action.CollectDigits c) {
            return "collect:" + c.nodeId() + (c.sensitive() ? "(sensitive)" : "");
        }
        if (a instanceof Action.Transfer t) {
            return "transfer:" + t.kind().name().toLowerCase() + ":" + t.destination();
        }
        if (a instanceof Action.Enqueue q) {
            return "queue:" + q.queue();
        }
        if (a instanceof Action.Voicemail v) {
            return "voicemail:" + v.mailbox();
        }
        if (a instanceof Action.RecordControl r) {
            return "record:" + r.operation().name().toLowerCase();
        }
        if (a instanceof Action.Lookup l) {
            return "lookup:" + l.nodeId();
        }
        if (a instanceof Action.SetVariable v) {
            return "set:" + v.name();
        }
        if (a instanceof Action.HangUp h) {
            return "hangup" + (h.reason() == null ? "" : ":" + h.reason());
        }
        return kebab(a.getClass());
    }

    /** {@code PlaybackFinished} → {@code playback-finished}, worked out once per class. */
    private static final ClassValue<String> KEBAB = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        }
    };

    private static String kebab(Class<?> type) {
        return KEBAB.get(type);
    }
}
