package io.ivrflow;

import io.ivrflow.lookup.LookupService;
import io.ivrflow.plivo.CallRecorder;
import io.ivrflow.prompts.SpeechBackend;
import io.ivrflow.wazo.CallStore;
import io.ivrflow.wazo.PromptMedia;
import io.ivrflow.wazo.Timers;

import java.time.Clock;
import java.util.List;

/**
 * What the composition root ({@link ServiceWiring}) takes from outside instead of building, when a
 * {@code Collaborators} bean is in the registry before it runs: tests give a virtual clock, scripted lookups or a
 * recording prompt mapping this way; another runtime could give its own. A null field means "build the real one".
 *
 * @param clock       the time calls run on
 * @param lookups     {@code source: http} lookups (and, on Plivo, every lookup)
 * @param recorder    Plivo's call recording
 * @param wazoTimers  the Wazo adapter's call timers (input, lookup and ring timeouts)
 * @param wazoMedia   what Wazo plays for a prompt
 * @param wazoStore   where Wazo calls in progress are kept
 * @param speech      synthesis backends tried after the configured ones
 */
public record Collaborators(Clock clock, LookupService lookups, CallRecorder recorder, Timers wazoTimers,
                            PromptMedia wazoMedia, CallStore wazoStore, List<SpeechBackend> speech) {

    public Collaborators {
        speech = speech == null ? List.of() : List.copyOf(speech);
    }

    /** Everything real. */
    public static Collaborators none() {
        return new Collaborators(null, null, null, null, null, null, List.of());
    }

    public Collaborators withClock(Clock c) {
        return new Collaborators(c, lookups, recorder, wazoTimers, wazoMedia, wazoStore, speech);
    }

    public Collaborators withLookups(LookupService l) {
        return new Collaborators(clock, l, recorder, wazoTimers, wazoMedia, wazoStore, speech);
    }

    public Collaborators withRecorder(CallRecorder r) {
        return new Collaborators(clock, lookups, r, wazoTimers, wazoMedia, wazoStore, speech);
    }

    public Collaborators withWazoTimers(Timers t) {
        return new Collaborators(clock, lookups, recorder, t, wazoMedia, wazoStore, speech);
    }

    public Collaborators withWazoMedia(PromptMedia m) {
        return new Collaborators(clock, lookups, recorder, wazoTimers, m, wazoStore, speech);
    }

    public Collaborators withWazoStore(CallStore s) {
        return new Collaborators(clock, lookups, recorder, wazoTimers, wazoMedia, s, speech);
    }

    public Collaborators withSpeech(List<SpeechBackend> s) {
        return new Collaborators(clock, lookups, recorder, wazoTimers, wazoMedia, wazoStore, s);
    }
}
