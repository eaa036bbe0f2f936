package io.ivrflow.prompts;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A backend whose answers a test scripts: failures to throw, then audio; it records every request. */
final class ScriptedBackend implements SpeechBackend {

    private final String name;
    private final Deque<SpeechException> failures = new ArrayDeque<>();
    private final List<SpeechSpec> calls = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;
    private volatile boolean alwaysFail;

    ScriptedBackend(String name) {
        this.name = name;
    }

    ScriptedBackend failFirst(SpeechException... e) {
        failures.addAll(List.of(e));
        return this;
    }

    ScriptedBackend alwaysFail() {
        alwaysFail = true;
        return this;
    }

    ScriptedBackend delay(long millis) {
        delayMillis = millis;
        return this;
    }

    List<SpeechSpec> calls() {
        return calls;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<SpeechSpec> spec(SpeechRequest r) {
        return Optional.of(new SpeechSpec(name, "test", "v-" + r.language(), r.language(), r.ssml(), r.text(),
                AudioFormat.WAV, r.target().sampleRate()));
    }

    @Override
    public byte[] synthesise(SpeechSpec spec) throws SpeechException {
        calls.add(spec);
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
        }
        if (alwaysFail) {
            throw new SpeechException(name + " is throttling", true);
        }
        return Wav.write(new Wav.Pcm(spec.sampleRate(), new short[] {1, 2, 3}));
    }
}
