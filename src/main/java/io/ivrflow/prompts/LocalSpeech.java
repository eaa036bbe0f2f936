package io.ivrflow.prompts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Offline synthesis with espeak-ng (Debian package {@code espeak-ng}): robotic, but real audio on a machine
 * with no cloud account. Its 22.05 kHz output is resampled to the rate the platform wants; it makes WAV only.
 * The flow's voice names a Polly voice, which espeak does not have: the espeak voice comes from the language.
 */
public class LocalSpeech implements SpeechBackend {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSpeech.class);

    private final String command;
    private final Map<String, String> voiceOverrides;
    private final int wordsPerMinute;
    private final Duration timeout;
    private volatile Set<String> installedVoices;

    /**
     * @param command        the espeak-ng program
     * @param voiceOverrides language → espeak voice, for languages whose tag is not an espeak voice name
     *                       ({@code es-US} → {@code es-419} is built in)
     */
    public LocalSpeech(String command, Map<String, String> voiceOverrides, int wordsPerMinute, Duration timeout) {
        this.command = command;
        Map<String, String> v = new HashMap<>(Map.of("es-us", "es-419", "es-mx", "es-419", "en-au", "en-029"));
        voiceOverrides.forEach((k, val) -> v.put(k.toLowerCase(Locale.ROOT), val));
        this.voiceOverrides = Map.copyOf(v);
        this.wordsPerMinute = wordsPerMinute;
        this.timeout = timeout;
    }

    public LocalSpeech() {
        this("espeak-ng", Map.of(), 165, Duration.ofSeconds(20));
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Optional<SpeechSpec> spec(SpeechRequest r) {
        return voice(r.language()).map(v -> new SpeechSpec(name(), "espeak-ng@" + wordsPerMinute, v, r.language(),
                r.ssml(), r.text(), AudioFormat.WAV, r.target().sampleRate()));
    }

    /** The espeak voice for a language: an override, the tag itself, or its primary language. */
    Optional<String> voice(String language) {
        String tag = language == null ? "en-us" : language.toLowerCase(Locale.ROOT).replace('_', '-');
        Set<String> installed = installedVoices();
        for (String candidate : List.of(voiceOverrides.getOrDefault(tag, tag), tag, tag.split("-")[0])) {
            if (installed.isEmpty() || installed.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** espeak-ng's voices, read once; empty when the program cannot be run (then every synthesis fails clearly). */
    private Set<String> installedVoices() {
        Set<String> v = installedVoices;
        if (v == null) {
            v = new TreeSet<>();
            try {
                Process p = new ProcessBuilder(command, "--voices").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(10, TimeUnit.SECONDS);
                for (String line : out.split("\n")) {
                    String[] cols = line.trim().split("\\s+");
                    if (cols.length > 1 && !cols[0].equals("Pty")) {
                        v.add(cols[1].toLowerCase(Locale.ROOT));
                    }
                }
            } catch (IOException e) {
                LOG.warn("local speech: cannot run {} ({}); install the espeak-ng package", command, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            installedVoices = v;
        }
        return v;
    }

    @Override
    public byte[] synthesise(SpeechSpec spec) throws SpeechException {
        Path out = null;
        try {
            out = Files.createTempFile("ivrflow-espeak-", ".wav");
            List<String> cmd = new ArrayList<>(List.of(command, "-v", spec.voice(), "-s",
                    Integer.toString(wordsPerMinute), "--stdin", "-w", out.toString()));
            if (spec.ssml()) {
                cmd.add(1, "-m");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(spec.text().getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SpeechException(command + " took longer than " + timeout.toSeconds() + " s", true);
            }
            if (p.exitValue() != 0) {
                throw new SpeechException(command + " exited with " + p.exitValue(), false);
            }
            Wav.Pcm pcm = Wav.read(Files.readAllBytes(out));
            if (pcm.samples().length == 0) {
                throw new SpeechException(command + " produced no audio", false);
            }
            return Wav.write(Wav.resample(pcm, spec.sampleRate()));
        } catch (IOException e) {
            throw new SpeechException("cannot run " + command + ": " + e.getMessage(), false, e);
        } catch (IllegalArgumentException e) {
            throw new SpeechException(command + " wrote unreadable audio: " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpeechException("interrupted", true, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
