package io.ivrflow.engine;

import io.ivrflow.flow.Flow;
import io.ivrflow.flow.Prompt;
import io.ivrflow.flow.PromptVariant;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The engine's own safety messages, for when a flow gives nothing better: a flow's {@code messages}
 * override them. Known in English and Spanish; other languages hear English rather than silence.
 */
final class Messages {

    static final String ERROR = "error";
    static final String TRANSFER_FAILED = "transferFailed";
    static final String GOODBYE = "goodbye";

    /** A language tag such as en-US or es-419. */
    static final Pattern LANGUAGE_TAG = Pattern.compile("[a-z]{2,3}(-([A-Z]{2}|[0-9]{3}))?");

    private static final Map<String, Map<String, String>> BUILT_IN = Map.of(
            ERROR, Map.of(
                    "en", "We are sorry, something went wrong. Please call again later. Goodbye.",
                    "es", "Lo sentimos, algo salió mal. Por favor, llame más tarde. Adiós."),
            TRANSFER_FAILED, Map.of(
                    "en", "We are sorry, we could not connect your call. Please try again later. Goodbye.",
                    "es", "Lo sentimos, no pudimos conectar su llamada. Por favor, inténtelo más tarde. Adiós."),
            GOODBYE, Map.of(
                    "en", "Thank you for calling. Goodbye.",
                    "es", "Gracias por llamar. Adiós."));

    private Messages() {
    }

    /** The flow's message if it has one in this language, else the built-in one. */
    static Prompt prompt(Flow flow, String name, String language) {
        if (flow != null) {
            Prompt own = flow.messages().get(name);
            if (own != null && own.byLanguage().containsKey(language)) {
                return own;
            }
        }
        Map<String, String> texts = BUILT_IN.get(name);
        // the language is said in the document (Plivo's Speak, a voice's choice): only a well-formed tag the
        // built-in texts are written in is kept; anything else is spoken as English
        String primary = language == null ? "en" : language.split("-")[0];
        boolean known = language != null && LANGUAGE_TAG.matcher(language).matches() && texts.containsKey(primary);
        String lang = known ? language : "en-US";
        return new Prompt("ivrflow." + name + "." + (known ? primary : "en"),
                Map.of(lang, PromptVariant.ofText(texts.get(known ? primary : "en"))), "");
    }
}
