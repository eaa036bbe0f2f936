package io.ivrflow.engine;

import io.ivrflow.engine.CallState.AfterPlay;
import io.ivrflow.engine.CallState.Phase;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.InputHandling;
import io.ivrflow.flow.InputSpec;
import io.ivrflow.flow.Node;
import io.ivrflow.flow.Prompt;
import io.ivrflow.flow.PromptVariant;
import io.ivrflow.flow.RetryPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The call state machine: {@code (flow, state, event, now) -> (state, actions, trace)}. Pure: no I/O, no
 * clock, no threads; the same inputs always give the same step. Input rules are those of
 * {@code docs/input-semantics.md}.
 *
 * <p>It never throws on what a call does: an event that does not fit the call's phase is ignored, and a
 * flow that leads nowhere ends the call with a spoken apology.
 */
public final class Engine {

    /** Node entries in one event before the engine decides the flow is looping. */
    public static final int MAX_ENTRIES_PER_EVENT = 100;
    /** Node entries in one call before the engine ends it (a silent line looping through menus). */
    public static final int MAX_ENTRIES_PER_CALL = 1000;
    /** How long the platform has to confirm a recording command. */
    public static final Duration RECORDING_CONFIRMATION_TIMEOUT = Duration.ofSeconds(5);

    private final FlowCatalog flows;

    public Engine(FlowCatalog flows) {
        this.flows = flows;
    }

    /** Starts a call at the flow's start node. */
    /**
     * A prompt as a call in {@code language} hears it: the language's variant, else the flow's default
     * language's, else any; variables filled in from {@code vars}.
     */
    public static RenderedPrompt render(Flow flow, Prompt p, String language, Map<String, String> vars) {
        String lang = language != null && p.byLanguage().containsKey(language) ? language
                : flow != null && p.byLanguage().containsKey(flow.defaultLanguage()) ? flow.defaultLanguage()
                : p.byLanguage().keySet().stream().findFirst().orElse(language);
        PromptVariant v = p.byLanguage().getOrDefault(lang, PromptVariant.ofText(""));
        String voice = flow == null ? null : flow.voice(lang);
        String key = (flow == null ? "" : flow.id() + "/") + p.key();
        return new RenderedPrompt(key, lang, voice, Templates.fill(v.text(), vars),
                Templates.fill(v.ssml(), vars, true), v.audio(), v);
    }

    /** The messages the engine may say in a language when the flow gives nothing better (error, goodbye ...). */
    public static List<Prompt> safetyMessages(Flow flow, String language) {
        return List.of(Messages.prompt(flow, Messages.ERROR, language),
                Messages.prompt(flow, Messages.TRANSFER_FAILED, language),
                Messages.prompt(flow, Messages.GOODBYE, language));
    }

    public Step start(String flowId, Event.CallStarted call, Instant now) {
        return startAt(flowId, null, call, now);
    }

    /** Starts a call at a given node (null: the flow's start); scenarios use it to test one part of a flow. */
    public Step startAt(String flowId, String nodeId, Event.CallStarted call, Instant now) {
        Flow flow = flows.find(flowId).orElse(null);
        // a language the flow does not speak is not taken; with no flow, only a well-formed tag is
        String language = flow == null ? wellFormed(call.language())
                : call.language() != null && flow.languages().contains(call.language()) ? call.language()
                : flow.defaultLanguage();
        Map<String, String> vars = new LinkedHashMap<>(call.variables());
        vars.put("callId", call.callId());
        vars.put("caller", nullToEmpty(call.caller()));
        vars.put("called", nullToEmpty(call.called()));
        vars.put("platform", nullToEmpty(call.platform()));
        vars.put("language", nullToEmpty(language));
        CallState initial = new CallState(call.callId(), flowId, null, Phase.PLAYING, AfterPlay.ACT, language, vars,
                Set.of(), 0, 0, "", null, null, List.of(), 0, null);
        Run run = new Run(initial, now);
        if (flow == null) {
            run.safeEnd(Messages.ERROR, "unknown-flow");
        } else {
            run.enter(nodeId != null ? nodeId : flow.start(), null, "start");
        }
        return run.result();
    }

    /** Moves a call on by one event. */
    public Step handle(CallState state, Event event, Instant now) {
        if (event instanceof Event.CallStarted started) {
            return start(state != null ? state.flowId() : null, started, now);
        }
        if (state == null || state.ended()) {
            return new Step(state, List.of(), List.of());
        }
        Run run = new Run(state, now);
        boolean endingAlready = state.phase() == Phase.PLAYING && state.afterPlay() == AfterPlay.HANG_UP;
        if (run.flow == null && !endingAlready) {
            run.safeEnd(Messages.ERROR, "unknown-flow");
            return run.result();
        }
        run.on(event);
        return run.result();
    }

    /**
     * Ends a call the adapter cannot carry on (its state was lost or refused, or the adapter failed): the
     * caller hears the flow's error message, in the call's language when known, then the call hangs up.
     */
    public Step fail(String callId, String flowId, String language, String reason, Instant now) {
        Flow flow = flowId == null ? null : flows.find(flowId).orElse(null);
        String lang = flow == null ? wellFormed(language)
                : language != null && flow.languages().contains(language) ? language : flow.defaultLanguage();
        CallState lost = new CallState(callId, flow == null ? null : flowId, null, Phase.PLAYING, AfterPlay.ACT, lang,
                Map.of(), Set.of(), 0, 0, "", null, null, List.of(), 0, null);
        Run run = new Run(lost, now);
        run.safeEnd(Messages.ERROR, reason);
        return run.result();
    }

    private static String wellFormed(String language) {
        return language != null && Messages.LANGUAGE_TAG.matcher(language).matches() ? language : null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** One event's worth of work on a mutable copy of the state. */
    private final class Run {
        final Instant now;
        final List<Action> actions = new ArrayList<>();
        final List<TraceEntry> trace = new ArrayList<>();
        final String callId;
        Flow flow;
        String nodeId;
        Phase phase;
        AfterPlay afterPlay;
        String language;
        final Map<String, String> vars;
        final Set<String> sensitive;
        int noInputs;
        int noMatches;
        String entry;
        Instant wakeAt;
        String pendingRequest;
        final List<CallState.Frame> stack;
        int entries;
        int entriesThisEvent;
        Outcome outcome;

        Run(CallState s, Instant now) {
            this.now = now;
            callId = s.callId();
            flow = s.flowId() == null ? null : flows.find(s.flowId()).orElse(null);
            nodeId = s.nodeId();
            phase = s.phase();
            afterPlay = s.afterPlay();
            language = s.language();
            vars = new HashMap<>(s.variables());
            sensitive = new HashSet<>(s.sensitive());
            noInputs = s.noInputs();
            noMatches = s.noMatches();
            entry = s.entry();
            wakeAt = s.wakeAt();
            pendingRequest = s.pendingRequest();
            stack = new ArrayList<>(s.stack());
            entries = s.entries();
            outcome = s.outcome();
        }

        Step result() {
            CallState s = new CallState(callId, flow == null ? null : flow.id(), nodeId, phase, afterPlay, language,
                    vars, sensitive, noInputs, noMatches, entry, wakeAt, pendingRequest, stack, entries, outcome);
            return new Step(s, actions, trace);
        }

        Node node() {
            return flow == null || nodeId == null ? null : flow.node(nodeId);
        }

        // ------------------------------------------------------------ events

        void on(Event event) {
            if (event instanceof Event.HangUp) {
                // even while connecting: nobody took the call yet, so the caller abandoned it
                outcome = new Outcome(Outcome.Kind.CALLER_HUNG_UP, nodeId);
                end();
                return;
            }
            switch (phase) {
                case PLAYING -> {
                    if (event instanceof Event.PlaybackFinished) {
                        afterPlayback();
                    } else if (event instanceof Event.Digits d) {
                        keys(d);
                    }
                }
                case COLLECTING -> {
                    if (event instanceof Event.Digits d) {
                        keys(d);
                    } else if (event instanceof Event.NoInput) {
                        noInput();
                    } else if (event instanceof Event.TimerFired && due()) {
                        if (entry.isEmpty()) {
                            noInput();
                        } else {
                            submit(entry);
                        }
                    }
                }
                case LOOKING_UP -> {
                    if (event instanceof Event.LookupResult r && r.requestId().equals(pendingRequest)) {
                        lookupResult(r);
                    } else if (event instanceof Event.TimerFired && due()) {
                        Node.Lookup l = (Node.Lookup) node();
                        pendingRequest = null;
                        enter(l.failureExit(), l.id(), "failure");
                    }
                }
                case RECORDING -> {
                    Node.Record r = (Node.Record) node();
                    if (event instanceof Event.RecordingChanged c) {
                        wakeAt = null;
                        if (c.ok()) {
                            enter(r.next(), r.id(), "next");
                        } else {
                            enter(r.failureExit(), r.id(), "failure");
                        }
                    } else if (event instanceof Event.TimerFired && due()) {
                        enter(r.failureExit(), r.id(), "failure");
                    }
                }
                case CONNECTING -> {
                    if (event instanceof Event.TransferCompleted) {
                        end();
                    } else if (event instanceof Event.TransferFailed f) {
                        transferFailed(f);
                    }
                }
                case ENDED -> {
                }
            }
        }

        boolean due() {
            return wakeAt != null && !now.isBefore(wakeAt);
        }

        void afterPlayback() {
            switch (afterPlay) {
                case ACT -> act();
                case COLLECT -> startCollecting();
                case HANG_UP -> {
                    actions.add(new Action.HangUp("normal"));
                    end();
                }
            }
        }

        void end() {
            phase = Phase.ENDED;
            wakeAt = null;
            pendingRequest = null;
        }

        // ------------------------------------------------------------ moving between nodes

        void enter(String target, String from, String edge) {
            if (target == null) {
                safeEnd(Messages.GOODBYE, "dead-end:" + from);
                return;
            }
            Node n = flow.node(target);
            if (n == null) {
                safeEnd(Messages.ERROR, "unknown-node:" + target);
                return;
            }
            if (++entriesThisEvent > MAX_ENTRIES_PER_EVENT || ++entries > MAX_ENTRIES_PER_CALL) {
                safeEnd(Messages.ERROR, "loop");
                return;
            }
            trace.add(new TraceEntry(now, flow.id(), target, from, edge));
            nodeId = target;
            noInputs = 0;
            noMatches = 0;
            entry = "";
            wakeAt = null;
            pendingRequest = null;
            if (n instanceof Node.InputNode in) {
                promptForInput(java.util.Arrays.asList(n.prompt()), in);
            } else if (n.prompt() != null) {
                say(n.prompt(), false);
                phase = Phase.PLAYING;
                afterPlay = AfterPlay.ACT;
            } else {
                act();
            }
        }

        /** What a node does once its prompt has been said. */
        void act() {
            Node n = node();
            if (n instanceof Node.InputNode) {
                startCollecting();
            } else if (n instanceof Node.Say s) {
                enter(s.next(), s.id(), "next");
            } else if (n instanceof Node.Goto g) {
                enter(g.target(), g.id(), "next");
            } else if (n instanceof Node.Schedule s) {
                switch (s.hours().statusAt(now)) {
                    case OPEN -> enter(s.open(), s.id(), "open");
                    case CLOSED -> enter(s.closed(), s.id(), "closed");
                    case HOLIDAY -> enter(s.holidayExit(), s.id(), "holiday");
                }
            } else if (n instanceof Node.Condition c) {
                for (int i = 0; i < c.rules().size(); i++) {
                    Node.Rule r = c.rules().get(i);
                    if (Conditions.holds(r, vars)) {
                        enter(r.next(), c.id(), "rule:" + i);
                        return;
                    }
                }
                enter(c.otherwise(), c.id(), "otherwise");
            } else if (n instanceof Node.Set s) {
                s.values().forEach((name, value) -> setVariable(name, Templates.fill(value, vars), false));
                for (String counter : s.increment()) {
                    setVariable(counter, String.valueOf(Conditions.asLong(vars.get(counter)) + 1), false);
                }
                enter(s.next(), s.id(), "next");
            } else if (n instanceof Node.Subflow s) {
                enterSubflow(s);
            } else if (n instanceof Node.Return) {
                returnFromSubflow();
            } else if (n instanceof Node.Lookup l) {
                pendingRequest = callId + "#" + entries;
                Map<String, String> params = new LinkedHashMap<>();
                l.params().forEach((k, v) -> params.put(k, Templates.fill(v, vars)));
                actions.add(new Action.Lookup(pendingRequest, l.id(), l.source().name().toLowerCase(Locale.ROOT), params,
                        l.timeout()));
                phase = Phase.LOOKING_UP;
                wakeAt = now.plus(l.timeout());
            } else if (n instanceof Node.Record r) {
                actions.add(new Action.RecordControl(Action.RecordOperation.valueOf(r.operation().name())));
                phase = Phase.RECORDING;
                wakeAt = now.plus(RECORDING_CONFIRMATION_TIMEOUT);
            } else if (n instanceof Node.Queue q) {
                connect(new Action.Enqueue(q.queue(), q.timeout()), new Outcome(Outcome.Kind.QUEUED, q.queue()));
            } else if (n instanceof Node.Agent a) {
                connect(new Action.Transfer(Action.Destination.AGENT, a.agent(), null, null, a.timeout()),
                        new Outcome(Outcome.Kind.AGENT, a.agent()));
            } else if (n instanceof Node.Transfer t) {
                String destination = Templates.fill(t.destination(), vars);
                connect(new Action.Transfer(Action.Destination.valueOf(t.to().name()), destination, t.context(),
                        Templates.fill(t.callerId(), vars), t.timeout()),
                        new Outcome(Outcome.Kind.TRANSFERRED, destination));
            } else if (n instanceof Node.Voicemail v) {
                connect(new Action.Voicemail(v.mailbox(), v.maxLength()), new Outcome(Outcome.Kind.VOICEMAIL,
                        v.mailbox()));
            } else if (n instanceof Node.Hangup h) {
                outcome = new Outcome(Outcome.Kind.HUNG_UP, h.id());
                actions.add(new Action.HangUp(h.reason()));
                end();
            }
        }

        void enterSubflow(Node.Subflow s) {
            Flow sub = flows.find(s.flow()).orElse(null);
            if (sub == null) {
                safeEnd(Messages.ERROR, "unknown-flow:" + s.flow());
                return;
            }
            stack.add(new CallState.Frame(flow.id(), s.id()));
            flow = sub;
            enter(sub.start(), s.id(), "subflow");
        }

        /** A return node: back to the node after the calling subflow node, or a goodbye in a flow run alone. */
        void returnFromSubflow() {
            if (stack.isEmpty()) {
                safeEnd(Messages.GOODBYE, "return");
                return;
            }
            CallState.Frame frame = stack.remove(stack.size() - 1);
            flow = flows.find(frame.flowId()).orElse(null);
            if (flow == null || !(flow.node(frame.nodeId()) instanceof Node.Subflow caller)) {
                safeEnd(Messages.ERROR, "return");
                return;
            }
            nodeId = caller.id();
            enter(caller.next(), caller.id(), "return");
        }

        void connect(Action action, Outcome expected) {
            actions.add(action);
            outcome = expected;
            phase = Phase.CONNECTING;
        }

        void transferFailed(Event.TransferFailed f) {
            outcome = null;
            Node n = node();
            if (n instanceof Node.Queue q && f.reason() == Event.FailureReason.NO_AGENTS && q.noAgents() != null) {
                enter(q.noAgents(), q.id(), "noAgents");
                return;
            }
            String onFailure = n instanceof Node.Queue q ? q.onFailure()
                    : n instanceof Node.Agent a ? a.onFailure()
                    : n instanceof Node.Transfer t ? t.onFailure()
                    : n instanceof Node.Voicemail v ? v.onFailure()
                    : null;
            if (onFailure != null) {
                enter(onFailure, n.id(), "failure");
            } else {
                safeEnd(Messages.TRANSFER_FAILED, "transfer-failed:" + n.id());
            }
        }

        void lookupResult(Event.LookupResult r) {
            Node.Lookup l = (Node.Lookup) node();
            pendingRequest = null;
            wakeAt = null;
            if (r.status() == Event.LookupStatus.FAILED) {
                enter(l.failureExit(), l.id(), "failure");
                return;
            }
            l.assign().forEach((var, field) -> {
                String value = r.fields().get(field);
                if (value != null) {
                    setVariable(var, value, false);
                }
            });
            if (r.status() == Event.LookupStatus.FOUND) {
                enter(l.next(), l.id(), "found");
            } else {
                enter(l.notFoundExit(), l.id(), "notFound");
            }
        }

        // ------------------------------------------------------------ caller input

        /** Says the prompts of an input node (barge-in as the node says) and asks for keys after them. */
        void promptForInput(List<Prompt> prompts, Node.InputNode in) {
            InputSpec spec = in.handling().input();
            boolean said = false;
            for (Prompt p : prompts) {
                if (p != null) {
                    say(p, spec.bargeIn());
                    said = true;
                }
            }
            actions.add(new Action.CollectDigits(in.id(), spec, in instanceof Node.Collect c && c.sensitive()));
            entry = "";
            if (said) {
                phase = Phase.PLAYING;
                afterPlay = AfterPlay.COLLECT;
                wakeAt = null;
            } else {
                startCollecting();
            }
        }

        void startCollecting() {
            Node.InputNode in = (Node.InputNode) node();
            phase = Phase.COLLECTING;
            entry = "";
            wakeAt = now.plus(in.handling().input().firstDigitTimeout());
        }

        void keys(Event.Digits d) {
            if (!(node() instanceof Node.InputNode in)) {
                return; // keys outside an input are not kept (no type-ahead)
            }
            if (phase == Phase.PLAYING) {
                if (afterPlay != AfterPlay.COLLECT || !in.handling().input().bargeIn()) {
                    return;
                }
                actions.add(new Action.StopPlayback());
                startCollecting();
            }
            if (d.complete()) {
                submit(d.keys());
                return;
            }
            String here = nodeId;
            for (char k : d.keys().toCharArray()) {
                if (phase != Phase.COLLECTING || !here.equals(nodeId)) {
                    return; // the entry was submitted: later keys belong to nothing
                }
                key(in, k);
            }
        }

        void key(Node.InputNode in, char k) {
            InputSpec spec = in.handling().input();
            if (spec.isTerminator(k)) {
                submit(entry);
                return;
            }
            entry = entry + k;
            if (entry.length() >= spec.maxDigits() || (in instanceof Node.Menu m && decided(m, entry))) {
                submit(entry);
            } else {
                wakeAt = now.plus(spec.interDigitTimeout());
            }
        }

        /** A menu entry needs no more keys when it is an option no longer option starts with, or no option can follow. */
        boolean decided(Node.Menu m, String typed) {
            boolean longer = m.options().keySet().stream().anyMatch(k -> k.length() > typed.length() && k.startsWith(typed));
            return !longer;
        }

        void submit(String value) {
            wakeAt = null;
            Node n = node();
            if (value.isEmpty()) {
                noMatch();
                return;
            }
            if (n instanceof Node.Menu m) {
                Node.Choice c = m.options().get(value);
                if (c == null) {
                    noMatch();
                } else if (c.repeat()) {
                    trace.add(new TraceEntry(now, flow.id(), m.id(), m.id(), "key:" + value));
                    promptForInput(List.of(m.prompt()), m);
                } else {
                    enter(c.target(), m.id(), "key:" + value);
                }
            } else if (n instanceof Node.Collect c) {
                InputSpec spec = c.handling().input();
                boolean valid = value.length() >= spec.minDigits() && value.length() <= spec.maxDigits()
                        && (c.pattern() == null || value.matches(c.pattern()));
                if (!valid) {
                    noMatch();
                    return;
                }
                setVariable(c.variable(), value, c.sensitive());
                enter(c.next(), c.id(), "collected");
            } else if (n instanceof Node.Language l) {
                String chosen = l.options().get(value);
                if (chosen == null) {
                    noMatch();
                    return;
                }
                language = chosen;
                setVariable("language", chosen, false);
                enter(l.next(), l.id(), "key:" + value);
            }
        }

        void noInput() {
            Node.InputNode in = (Node.InputNode) node();
            InputHandling h = in.handling();
            noInputs++;
            retry(in, h.noInput(), noInputs, h.noInputExit(), "noInput");
        }

        void noMatch() {
            Node.InputNode in = (Node.InputNode) node();
            InputHandling h = in.handling();
            noMatches++;
            retry(in, h.noMatch(), noMatches, h.noMatchExit(), "noMatch");
        }

        void retry(Node.InputNode in, RetryPolicy policy, int attempt, String exit, String label) {
            wakeAt = null;
            entry = "";
            if (attempt >= policy.max()) {
                enter(exit, in.id(), label);
                return;
            }
            Prompt again = in.handling().reprompt() != null ? in.handling().reprompt() : in.prompt();
            promptForInput(java.util.Arrays.asList(policy.promptFor(attempt), again), in);
        }

        // ------------------------------------------------------------ saying things

        void say(Prompt p, boolean bargeIn) {
            actions.add(new Action.Say(render(p), bargeIn));
        }

        RenderedPrompt render(Prompt p) {
            return Engine.render(flow, p, language, vars);
        }

        /** Ends the call with a spoken message rather than silence. */
        void safeEnd(String message, String reason) {
            outcome = new Outcome(Outcome.Kind.HUNG_UP, reason);
            wakeAt = null;
            pendingRequest = null;
            say(Messages.prompt(flow, message, language), false);
            phase = Phase.PLAYING;
            afterPlay = AfterPlay.HANG_UP;
        }

        void setVariable(String name, String value, boolean secret) {
            vars.put(name, value);
            if (secret) {
                sensitive.add(name);
            }
            actions.add(new Action.SetVariable(name, value, secret || sensitive.contains(name)));
        }
    }
}
