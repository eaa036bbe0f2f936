package io.ivrflow.plivo;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.engine.Step;
import io.ivrflow.flow.FlowRelease;
import io.ivrflow.flow.FlowReleases;
import io.ivrflow.flow.InputSpec;
import io.ivrflow.flow.Node;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.observe.CallStep;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.PromptResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Plivo webhooks in, Plivo XML out. Each webhook becomes an engine event; the engine's actions become one
 * XML document that carries the call as far as it can without the caller: prompts are written one after
 * the other (Plivo plays them in order, so the engine is told they finished), lookups and recording
 * commands are done on the spot, and the document stops where the call needs Plivo again: a
 * {@code GetDigits} (followed by a {@code Redirect} for no input, so a call never falls off the end), a
 * {@code Dial} or {@code Record} whose action comes back here, or a {@code Hangup}.
 *
 * <p>The call's state travels in the action URLs ({@link StateToken}); this class keeps nothing between
 * webhooks. So does the release of the flows the call started on ({@code v}): a flow changed during the call
 * does not change under the caller (an instance that no longer knows the release goes on with the current one).
 */
public final class PlivoCalls {

    private static final Logger LOG = LoggerFactory.getLogger(PlivoCalls.class);

    /** Top-level elements in one document before the rest is fetched with a Redirect (Plivo allows 100 KB). */
    static final int MAX_ELEMENTS = 40;
    /** Engine rounds in one webhook: a flow that loops without the caller is cut by the engine long before. */
    private static final int MAX_ROUNDS = 200;
    private static final Duration DEFAULT_RING = Duration.ofSeconds(30);
    private static final Duration DEFAULT_VOICEMAIL = Duration.ofMinutes(2);

    private final FlowReleases releases;
    private final StateToken tokens;
    private final LookupService lookups;
    private final CallRecorder recorder;
    private final DialTargets targets;
    private final AudioFiles audio;
    private final PromptResolver prompts;
    private final Platform platform;
    private final CallJournal journal;
    private final Clock clock;
    private final String publicUrl;
    private final WebhookReplays replays;

    /** @param publicUrl base of the URLs written into documents, without a trailing slash */
    public PlivoCalls(FlowReleases releases, StateToken tokens, LookupService lookups, CallRecorder recorder,
                      DialTargets targets, AudioFiles audio, PromptResolver prompts, Platform platform, CallJournal journal,
                      Clock clock, String publicUrl, WebhookReplays replays) {
        this.releases = releases;
        this.tokens = tokens;
        this.lookups = lookups;
        this.recorder = recorder;
        this.targets = targets;
        this.audio = audio;
        this.prompts = prompts;
        this.platform = platform;
        this.journal = journal;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.replays = replays;
    }

    /** The webhooks, by the last path segment of their URL. */
    public enum Hook {
        /** The answer URL: a new call. */
        ANSWER,
        /** GetDigits action: the caller typed an entry. */
        INPUT,
        /** The Redirect after a GetDigits: nothing was typed. */
        NOINPUT,
        /** The Redirect at the end of a long document: carry on. */
        NEXT,
        /** Dial action: the transfer or queue call is over, or failed. */
        DIALED,
        /** Record action: the voicemail message was left, or not. */
        RECORDED;

        public static Optional<Hook> of(String segment) {
            for (Hook h : values()) {
                if (h.name().equalsIgnoreCase(segment)) {
                    return Optional.of(h);
                }
            }
            return Optional.empty();
        }

        String segment() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Answers one webhook with a Plivo XML document. Never throws: whatever goes wrong, the caller hears an
     * apology and the call ends.
     *
     * @param params Plivo's parameters (query and form, decoded); {@code s} is the state token
     */
    public String handle(String flowId, Hook hook, Map<String, String> params) {
        String callId = params.getOrDefault("CallUUID", "");
        if (hook == Hook.ANSWER) {
            Pin pin = new Pin(flowId, releases.current(), 1);
            return counted(hook, replays.answer("answer|" + callId, callId, 0,
                    () -> guarded(pin, callId, hook, () -> answer(pin, callId, params)),
                    () -> replayed(callId, hook)));
        }
        StateToken.Sealed sealed;
        try {
            sealed = tokens.open(params.get("s"), callId, clock.instant());
            String entryFlow = entryFlow(sealed.state());
            if (!flowId.equals(entryFlow)) {
                throw new StateToken.InvalidToken("state token is of a call in flow " + entryFlow
                        + ", not the flow of the URL");
            }
        } catch (StateToken.InvalidToken e) {
            LOG.warn("call {}: refused the state of a {} webhook for flow {}: {}", callId, hook.segment(), flowId,
                    e.getMessage());
            journal.metrics().webhookNotStepped(hook.segment(), "refused-state");
            Pin pin = new Pin(flowId, releases.current(), 1);
            // nothing of the URL is trusted now: the apology is in the flow's own language
            return guarded(pin, callId, hook, () -> render(pin, null, null,
                    pin.engine().fail(callId, flowId, null, "refused-state", clock.instant())));
        }
        // every URL of the document written now carries the next step, and the release the call is pinned to
        Pin pin = new Pin(flowId, pinned(callId, sealed.release()), sealed.step() + 1);
        CallState state = sealed.state();
        return counted(hook, replays.answer(hook.segment() + "|" + params.get("s"), callId, sealed.step(),
                () -> guarded(pin, callId, hook, () -> step(pin, hook, state, params)),
                () -> replayed(callId, hook)));
    }

    private String counted(Hook hook, WebhookReplays.Answer answer) {
        switch (answer.verdict()) {
            case REPEATED -> journal.metrics().webhookNotStepped(hook.segment(), "repeated");
            case REFUSED -> journal.metrics().webhookNotStepped(hook.segment(), "replayed");
            default -> {
            }
        }
        return answer.document();
    }

    private String step(Pin pin, Hook hook, CallState state, Map<String, String> params) {
        Event event = event(hook, params, state, pin);
        boolean callerGone = "completed".equalsIgnoreCase(params.get("CallStatus"));
        if (callerGone && !(event instanceof Event.TransferCompleted)) {
            return hungUp(pin, state);
        }
        return render(pin, state, event, pin.engine().handle(state, event, clock.instant()));
    }

    /** Whatever goes wrong answering a webhook, the caller hears an apology and the call ends. */
    private String guarded(Pin pin, String callId, Hook hook, Supplier<String> answer) {
        try {
            return answer.get();
        } catch (RuntimeException e) {
            LOG.error("call {}: webhook {} of flow {} failed; the caller hears an apology", callId, hook, pin.flowId(), e);
            return render(pin, null, null,
                    pin.engine().fail(callId, pin.flowId(), null, "adapter-error", clock.instant()));
        }
    }

    /** A webhook of a step the call has gone past: nothing is done, and whoever sent it is told to hang up. */
    private String replayed(String callId, Hook hook) {
        LOG.warn("call {}: a {} webhook of a step the call has gone past came again (a replay?); the call is not "
                + "stepped again", callId, hook.segment());
        return new PlivoXml().hangup().done();
    }

    /** The flow a call entered by: the bottom of its subflow stack, or its flow when it is in no subflow. */
    private static String entryFlow(CallState state) {
        return state.stack().isEmpty() ? state.flowId() : state.stack().get(0).flowId();
    }

    /**
     * The flow a call is in, the release of the flows it started on, and the step of the document being written
     * (it goes into every state token of that document).
     */
    private record Pin(String flowId, FlowRelease release, int step) {
        Engine engine() {
            return new Engine(release.catalog());
        }
    }

    private FlowRelease pinned(String callId, String releaseId) {
        FlowRelease release = releases.pinned(releaseId);
        if (releaseId != null && !release.id().equals(releaseId)) {
            LOG.info("call {}: release {} of the flows is not known here (restart, another instance, or too old); "
                    + "the call goes on with release {}", callId, releaseId, release.id());
        }
        return release;
    }

    private void record(Pin pin, CallState before, Event event, Step step) {
        journal.record(new CallStep("plivo", pin.flowId(), pin.release().id(), before, event, step, clock.instant(),
                pin.release().catalog()));
    }

    /** The hangup callback: the call is over whatever the state; only the journal learns from it. */
    public void hangup(Map<String, String> params) {
        String callId = params.getOrDefault("CallUUID", "");
        journal.find(callId).ifPresent(entry -> {
            if (entry.last() != null && !entry.last().ended()) {
                Pin pin = new Pin(entry.flowId(), releases.pinned(entry.release()), 0);
                hungUp(pin, entry.last());
            }
        });
        LOG.debug("call {} ended: {} after {} s", callId, params.getOrDefault("HangupCause", "?"),
                params.getOrDefault("Duration", "?"));
    }

    private String answer(Pin pin, String callId, Map<String, String> params) {
        String flowId = pin.flowId();
        if (callId.isEmpty()) {
            LOG.warn("answer webhook for flow {} without a CallUUID", flowId);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("direction", params.getOrDefault("Direction", ""));
        Event.CallStarted started = new Event.CallStarted(callId, params.get("From"), params.get("To"), "plivo",
                params.get("lang"), variables);
        LOG.debug("call {} to flow {} ({})", callId, flowId, params.getOrDefault("Direction", "inbound"));
        // ?start=<node> begins at a node, to try one part of a flow on a real phone
        String startNode = params.get("start");
        return render(pin, null, started, pin.engine().startAt(flowId,
                startNode == null || startNode.isBlank() ? null : startNode, started, clock.instant()));
    }

    private String hungUp(Pin pin, CallState state) {
        Event hangUp = new Event.HangUp();
        record(pin, state, hangUp, pin.engine().handle(state, hangUp, clock.instant()));
        return new PlivoXml().hangup().done();
    }

    private Event event(Hook hook, Map<String, String> p, CallState state, Pin pin) {
        switch (hook) {
            case INPUT:
                return new Event.Digits(p.getOrDefault("Digits", ""), true);
            case NOINPUT:
                return new Event.NoInput();
            case DIALED:
                Event result = dialResult(p);
                // a queue is a ring group on Plivo: nobody answering it means no agent was free
                if (result instanceof Event.TransferFailed f && f.reason() == Event.FailureReason.NO_ANSWER
                        && currentNode(pin, state) instanceof Node.Queue) {
                    return new Event.TransferFailed(Event.FailureReason.NO_AGENTS, f.detail());
                }
                return result;
            case RECORDED:
                String url = p.get("RecordUrl");
                if (url == null || url.isBlank()) {
                    return new Event.TransferFailed(Event.FailureReason.FAILED, "no message was recorded");
                }
                // the mailbox comes from the signed state's node, never from the URL
                String mailbox = currentNode(pin, state) instanceof Node.Voicemail v ? v.mailbox() : "?";
                LOG.info("call {}: voicemail for box {}: {} ({} s)", state.callId(), mailbox, url,
                        p.getOrDefault("RecordingDuration", "?"));
                return new Event.TransferCompleted();
            default:
                return new Event.PlaybackFinished();
        }
    }

    private static Event dialResult(Map<String, String> p) {
        String status = p.getOrDefault("DialStatus", "");
        switch (status) {
            case "completed":
                return new Event.TransferCompleted();
            case "busy":
                return new Event.TransferFailed(Event.FailureReason.BUSY, "busy");
            case "no-answer":
            case "timeout":
                return new Event.TransferFailed(Event.FailureReason.NO_ANSWER, status);
            default:
                return new Event.TransferFailed(Event.FailureReason.FAILED, status.isEmpty() ? "no DialStatus" : status);
        }
    }

    // ---------------------------------------------------------------- engine actions -> XML

    /**
     * Runs the engine as far as the call can go without Plivo and writes what the caller must hear and do.
     * {@code first} is the engine's answer to {@code event} in state {@code before} (null for a new call).
     */
    private String render(Pin pin, CallState before, Event event, Step first) {
        PlivoXml xml = new PlivoXml();
        Engine engine = pin.engine();
        String flowId = pin.flowId();
        Step step = first;
        for (int rounds = 0; rounds < MAX_ROUNDS; rounds++) {
            record(pin, before, event, step);
            CallState state = step.state();
            before = state;
            Round round = new Round(xml, state, pin);
            Event external = null;
            for (Action a : step.actions()) {
                Event answer = a.accept(round);
                if (answer != null) {
                    external = answer;
                }
            }
            List<Action.Say> says = round.says;
            Action.CollectDigits collect = round.collect;
            if (external != null) {
                sayAll(xml, says);
                event = external;
                step = engine.handle(state, external, timerTime(state, external));
                continue;
            }
            if (collect != null) {
                if (state.phase() == CallState.Phase.PLAYING) {
                    Event played = new Event.PlaybackFinished();
                    Step listening = engine.handle(state, played, clock.instant());
                    record(pin, state, played, listening);
                    state = listening.state();
                }
                gather(xml, says, collect, state, pin);
                return xml.done();
            }
            sayAll(xml, says);
            switch (state.phase()) {
                case PLAYING:
                    if (xml.elements() >= MAX_ELEMENTS) {
                        xml.redirect(url(pin, Hook.NEXT, state));
                        return xml.done();
                    }
                    event = new Event.PlaybackFinished();
                    step = engine.handle(state, event, clock.instant());
                    continue;
                case ENDED:
                    if (!xml.ended()) {
                        xml.hangup();
                    }
                    return xml.done();
                case CONNECTING:
                    return xml.done();
                default:
                    // a state that waits for nothing Plivo will send: end politely rather than leave silence
                    LOG.error("call {}: flow {} waits in {} at {}, which Plivo cannot answer", state.callId(), flowId,
                            state.phase(), state.nodeId());
                    event = null;
                    step = engine.fail(state.callId(), state.flowId(), state.language(), "stuck", clock.instant());
            }
        }
        LOG.error("flow {}: the engine kept going for {} rounds in one webhook; ending the call", flowId, MAX_ROUNDS);
        return xml.hangup().done();
    }

    /**
     * One engine answer written into the document: prompts are kept to go before what stops the document, and
     * what Plivo's API or a lookup answers at once comes back as the next event.
     */
    private final class Round implements Action.Visitor<Event> {

        private final PlivoXml xml;
        private final CallState state;
        private final Pin pin;
        final List<Action.Say> says = new ArrayList<>();
        Action.CollectDigits collect;

        Round(PlivoXml xml, CallState state, Pin pin) {
            this.xml = xml;
            this.state = state;
            this.pin = pin;
        }

        @Override
        public Event say(Action.Say say) {
            says.add(say);
            return null;
        }

        @Override
        public Event stopPlayback(Action.StopPlayback stop) {
            // Plivo's GetDigits stops its own prompts on the first key
            return null;
        }

        @Override
        public Event collectDigits(Action.CollectDigits c) {
            collect = c;
            return null;
        }

        @Override
        public Event transfer(Action.Transfer transfer) {
            sayAll(xml, says);
            return dial(xml, transfer, transfer.timeout(), transfer.callerId(), state, pin);
        }

        @Override
        public Event enqueue(Action.Enqueue enqueue) {
            sayAll(xml, says);
            return dial(xml, enqueue, enqueue.timeout(), null, state, pin);
        }

        @Override
        public Event voicemail(Action.Voicemail v) {
            sayAll(xml, says);
            Duration max = v.maxLength() == null ? DEFAULT_VOICEMAIL : v.maxLength();
            xml.record(url(pin, Hook.RECORDED, state), seconds(max, 1), 5);
            return null;
        }

        @Override
        public Event recordControl(Action.RecordControl r) {
            Event.RecordingChanged changed = recorder.change(state.callId(), r.operation());
            if (changed.ok()) {
                LOG.debug("call {}: recording {} done", state.callId(), r.operation());
            } else {
                // the flow takes its fallback; operators need to know recordings are not being made
                LOG.warn("call {}: recording {} refused: {}", state.callId(), r.operation(), changed.detail());
            }
            return changed;
        }

        @Override
        public Event lookup(Action.Lookup l) {
            return PlivoCalls.this.lookup(l, state);
        }

        @Override
        public Event setVariable(Action.SetVariable set) {
            // the state token carries the variables
            return null;
        }

        @Override
        public Event hangUp(Action.HangUp hangUp) {
            sayAll(xml, says);
            if (!xml.ended()) {
                xml.hangup();
            }
            return null;
        }
    }

    /** A lookup answer, or a timer at the lookup's deadline when the service is too slow. */
    private Event lookup(Action.Lookup l, CallState state) {
        Future<Event.LookupResult> answer = lookups.lookup(l);
        try {
            return answer.get(Math.max(1, l.timeout().toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            LOG.warn("call {}: lookup at {} took longer than {} ms", state.callId(), l.nodeId(), l.timeout().toMillis());
            return new Event.TimerFired();
        } catch (ExecutionException e) {
            return new Event.LookupResult(l.requestId(), Event.LookupStatus.FAILED, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Event.TimerFired();
        }
    }

    /** A TimerFired stands for the deadline the engine set: give the engine that instant if the clock is behind. */
    private Instant timerTime(CallState state, Event event) {
        Instant now = clock.instant();
        if (event instanceof Event.TimerFired && state.wakeAt() != null && state.wakeAt().isAfter(now)) {
            return state.wakeAt();
        }
        return now;
    }

    /**
     * Writes the Dial, or returns the failure at once when the destination has no Plivo address.
     *
     * @param ring     how long it rings (null: the default)
     * @param callerId the number shown to the destination (null: Plivo's default)
     */
    private Event dial(PlivoXml xml, Action a, Duration ring, String callerId, CallState state, Pin pin) {
        Optional<DialTargets.Target> target = targets.resolve(a);
        if (target.isEmpty()) {
            LOG.warn("call {}: no Plivo address for {}; set ivr.plivo.destinations or ivr.plivo.sip-domain",
                    state.callId(), a);
            return new Event.TransferFailed(Event.FailureReason.FAILED, "no Plivo address");
        }
        xml.dial(url(pin, Hook.DIALED, state), callerId == null || callerId.isBlank() ? null : callerId,
                seconds(ring == null ? DEFAULT_RING : ring, 1));
        if (target.get().sip()) {
            xml.user(target.get().address());
        } else {
            xml.number(target.get().address());
        }
        xml.endDial();
        return null;
    }

    /** The input: prompts the caller may talk over go inside the GetDigits, the others before it. */
    private void gather(PlivoXml xml, List<Action.Say> says, Action.CollectDigits collect, CallState state,
                        Pin pin) {
        InputSpec spec = collect.spec();
        List<Action.Say> before = new ArrayList<>();
        List<Action.Say> inside = new ArrayList<>();
        for (Action.Say s : says) {
            (s.bargeIn() ? inside : before).add(s);
        }
        sayAll(xml, before);
        String token = seal(pin, state);
        xml.getDigits(url(pin, Hook.INPUT, token), seconds(spec.firstDigitTimeout(), 1),
                seconds(spec.interDigitTimeout(), 1), spec.hasTerminator() ? spec.terminator() : "none",
                numDigits(pin, state, spec), !collect.sensitive());
        sayAll(xml, inside);
        xml.endGetDigits();
        xml.redirect(url(pin, Hook.NOINPUT, token));
    }

    private static Node currentNode(Pin pin, CallState state) {
        return state.nodeId() == null ? null
                : pin.release().catalog().find(state.flowId()).map(f -> f.node(state.nodeId())).orElse(null);
    }

    /** A menu whose options are all one key long needs no more than one key, even if it allows more. */
    private static int numDigits(Pin pin, CallState state, InputSpec spec) {
        int max = Math.min(Math.max(spec.maxDigits(), 1), 99);
        Node node = currentNode(pin, state);
        if (node instanceof Node.Menu m && !m.options().isEmpty()) {
            int longest = m.options().keySet().stream().mapToInt(String::length).max().orElse(max);
            boolean prefixFree = m.options().keySet().stream().noneMatch(a -> m.options().keySet().stream()
                    .anyMatch(b -> !a.equals(b) && b.startsWith(a)));
            if (prefixFree) {
                return Math.min(max, longest);
            }
        } else if (node instanceof Node.Language l && !l.options().isEmpty()) {
            return Math.min(max, l.options().keySet().stream().mapToInt(String::length).max().orElse(max));
        }
        return max;
    }

    private void sayAll(PlivoXml xml, List<Action.Say> says) {
        for (Action.Say s : says) {
            say(xml, s.prompt());
        }
        says.clear();
    }

    /**
     * What the prompt resolver chooses: the recorded file, the synthesised file (both fetched from this service),
     * else Plivo's Speak (SSML with a Polly voice, else text). Waits at most the resolver's deadline, and only
     * for dynamic words.
     */
    private void say(PlivoXml xml, RenderedPrompt p) {
        PromptResolver.Resolved r = prompts.resolve(p, platform).join();
        if (r instanceof PromptResolver.Resolved.Recorded rec) {
            Optional<String> url = rec.audio().contains("://") ? Optional.of(rec.audio()) : audio.url(publicUrl, rec.audio());
            if (url.isPresent()) {
                xml.play(url.get());
                return;
            }
        } else if (r instanceof PromptResolver.Resolved.Synthesised syn) {
            xml.play(publicUrl + "/prompts/audio/" + syn.entry().fileName());
            return;
        }
        if (p.audio() != null && !prompts.hasRecording(p)) {
            LOG.warn("prompt {}: recorded file {} not found", p.key(), p.audio());
        }
        String voice = p.voice() == null || p.voice().isBlank() ? "WOMAN" : p.voice();
        String language = p.language() == null ? "en-US" : p.language();
        if (p.ssml() != null && voice.startsWith("Polly.")) {
            xml.speakSsml(voice, language, ssmlBody(p.ssml()));
            return;
        }
        String text = p.text() != null ? p.text() : p.ssml() != null ? p.heard() : null;
        if (text != null && !text.isBlank()) {
            xml.speak(voice, language, text);
        }
    }

    /** Plivo's Speak holds SSML tags directly: the {@code <speak>} root is dropped. */
    static String ssmlBody(String ssml) {
        String s = ssml.trim();
        if (s.startsWith("<speak")) {
            int open = s.indexOf('>');
            int close = s.lastIndexOf("</speak>");
            if (open > 0 && close > open) {
                return s.substring(open + 1, close).trim();
            }
        }
        return s;
    }

    private String url(Pin pin, Hook hook, CallState state) {
        return url(pin, hook, seal(pin, state));
    }

    private String seal(Pin pin, CallState state) {
        return tokens.seal(new StateToken.Sealed(state, pin.release().id(), pin.step()), clock.instant());
    }

    /** A webhook URL: all it carries besides the flow and the hook is the sealed token. */
    private String url(Pin pin, Hook hook, String token) {
        return publicUrl + "/plivo/" + URLEncoder.encode(pin.flowId(), StandardCharsets.UTF_8) + "/" + hook.segment()
                + "?s=" + token;
    }

    private static int seconds(Duration d, int min) {
        long s = (d.toMillis() + 999) / 1000;
        return (int) Math.max(min, Math.min(s, 86_400));
    }
}
