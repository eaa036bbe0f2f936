package io.ivrflow.prompts;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechSpecTest {

    private static final SpeechSpec BASE = new SpeechSpec("polly", "neural", "Joanna", "en-US", false,
            "Welcome to Acme.", AudioFormat.MP3, 22050);

    @Test
    void theKeyIs128BitsOfHexAndTheSameForTheSameInputs() {
        String key = BASE.key();
        assertTrue(key.matches("[0-9a-f]{32}"), key);
        assertEquals(key, new SpeechSpec("polly", "neural", "Joanna", "en-US", false, "Welcome to Acme.",
                AudioFormat.MP3, 22050).key());
    }

    @Test
    void everythingThatChangesTheAudioChangesTheKey() {
        List<SpeechSpec> variants = List.of(
                BASE,
                new SpeechSpec("local", "neural", "Joanna", "en-US", false, "Welcome to Acme.", AudioFormat.MP3, 22050),
                new SpeechSpec("polly", "standard", "Joanna", "en-US", false, "Welcome to Acme.", AudioFormat.MP3, 22050),
                new SpeechSpec("polly", "neural", "Matthew", "en-US", false, "Welcome to Acme.", AudioFormat.MP3, 22050),
                new SpeechSpec("polly", "neural", "Joanna", "en-GB", false, "Welcome to Acme.", AudioFormat.MP3, 22050),
                new SpeechSpec("polly", "neural", "Joanna", "en-US", true, "Welcome to Acme.", AudioFormat.MP3, 22050),
                new SpeechSpec("polly", "neural", "Joanna", "en-US", false, "Welcome to Acme!", AudioFormat.MP3, 22050),
                new SpeechSpec("polly", "neural", "Joanna", "en-US", false, "Welcome to Acme.", AudioFormat.WAV, 22050),
                new SpeechSpec("polly", "neural", "Joanna", "en-US", false, "Welcome to Acme.", AudioFormat.MP3, 8000));
        Set<String> keys = new HashSet<>();
        variants.forEach(v -> keys.add(v.key()));
        assertEquals(variants.size(), keys.size(), "each field is part of the key");
    }

    @Test
    void fieldsCannotBeShiftedIntoEachOther() {
        SpeechSpec a = new SpeechSpec("polly", "neural", "Jo", "anna", false, "x", AudioFormat.MP3, 22050);
        SpeechSpec b = new SpeechSpec("polly", "neural", "Joa", "nna", false, "x", AudioFormat.MP3, 22050);
        SpeechSpec c = new SpeechSpec("polly", "neural\nJo", "", "anna", false, "x", AudioFormat.MP3, 22050);
        assertNotEquals(a.key(), b.key());
        assertNotEquals(a.key(), c.key());
    }
}
