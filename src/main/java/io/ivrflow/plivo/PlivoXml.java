package io.ivrflow.plivo;

/**
 * Writes one Plivo XML document. Every text and attribute value is escaped here (the SDK escapes nothing),
 * so a caller's name or a URL with {@code &} cannot break the document. Attributes are written only when
 * they differ from Plivo's defaults, which keeps documents small.
 */
final class PlivoXml {

    private final StringBuilder xml = new StringBuilder(768).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
    private int elements;
    private boolean audio;
    private boolean ended;

    /** Elements written at the top level so far. */
    int elements() {
        return elements;
    }

    /** Whether anything the caller hears has been written (a Speak or Play, at any level). */
    boolean hasAudio() {
        return audio;
    }

    /** Whether the document ends the call or hands it on (Hangup, Redirect): nothing after it would run. */
    boolean ended() {
        return ended;
    }

    int length() {
        return xml.length();
    }

    PlivoXml speak(String voice, String language, String text) {
        open("Speak").attr("voice", voice, "WOMAN").attr("language", language, null).xml.append('>');
        escape(text, false);
        xml.append("</Speak>");
        audio = true;
        return top();
    }

    /** SSML tags go in as they are: the flow linter has checked the document is well formed. */
    PlivoXml speakSsml(String voice, String language, String ssmlBody) {
        open("Speak").attr("voice", voice, "WOMAN").attr("language", language, null).xml.append('>')
                .append(ssmlBody).append("</Speak>");
        audio = true;
        return top();
    }

    PlivoXml play(String url) {
        open("Play").xml.append('>');
        escape(url, false);
        xml.append("</Play>");
        audio = true;
        return top();
    }

    /** Opens a GetDigits; its prompts follow as {@link #speak}/{@link #play}, then {@link #endGetDigits()}. */
    PlivoXml getDigits(String action, int timeout, int digitTimeout, String finishOnKey, int numDigits,
                       boolean log) {
        open("GetDigits").attr("action", action, null).attr("method", "POST", null)
                .attr("timeout", timeout, 5).attr("digitTimeout", digitTimeout, 2)
                .attr("finishOnKey", finishOnKey, "#").attr("numDigits", numDigits, 99)
                .attr("retries", 1, -1).attr("redirect", "true", null)
                .attr("log", log ? null : "false", null).xml.append('>');
        depth++;
        return this;
    }

    PlivoXml endGetDigits() {
        depth--;
        xml.append("</GetDigits>");
        return top();
    }

    /** Opens a Dial whose result comes back to {@code action}; targets follow, then {@link #endDial()}. */
    PlivoXml dial(String action, String callerId, int timeout) {
        open("Dial").attr("action", action, null).attr("method", "POST", null).attr("redirect", "true", null)
                .attr("callerId", callerId, null).attr("timeout", timeout, -1).xml.append('>');
        depth++;
        return this;
    }

    PlivoXml number(String number) {
        xml.append("<Number>");
        escape(number, false);
        xml.append("</Number>");
        return this;
    }

    PlivoXml user(String sipUri) {
        xml.append("<User>");
        escape(sipUri, false);
        xml.append("</User>");
        return this;
    }

    PlivoXml endDial() {
        depth--;
        xml.append("</Dial>");
        return top();
    }

    /** A message recording (voicemail): the caller speaks after the beep, # or silence ends it. */
    PlivoXml record(String action, int maxLength, int silenceTimeout) {
        open("Record").attr("action", action, null).attr("method", "POST", null).attr("fileFormat", "mp3", null)
                .attr("maxLength", maxLength, 60).attr("timeout", silenceTimeout, 15).attr("finishOnKey", "#", null)
                .attr("playBeep", "true", null).xml.append("/>");
        return top();
    }

    PlivoXml redirect(String url) {
        open("Redirect").attr("method", "POST", null).xml.append('>');
        escape(url, false);
        xml.append("</Redirect>");
        ended = true;
        return top();
    }

    PlivoXml hangup() {
        open("Hangup").xml.append("/>");
        ended = true;
        return top();
    }

    String done() {
        return xml.append("</Response>").toString();
    }

    // ---------------------------------------------------------------- writing

    private int depth;

    private PlivoXml open(String element) {
        xml.append('<').append(element);
        return this;
    }

    private PlivoXml top() {
        if (depth == 0) {
            elements++;
        }
        return this;
    }

    private PlivoXml attr(String name, String value, String plivoDefault) {
        if (value != null && !value.equals(plivoDefault)) {
            xml.append(' ').append(name).append("=\"");
            escape(value, true);
            xml.append('"');
        }
        return this;
    }

    private PlivoXml attr(String name, int value, int plivoDefault) {
        if (value != plivoDefault) {
            xml.append(' ').append(name).append("=\"").append(value).append('"');
        }
        return this;
    }

    private void escape(String s, boolean attribute) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append(attribute ? "&quot;" : "\"");
                default -> {
                    // control characters are not allowed in XML 1.0 at all: drop them rather than break the document
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        xml.append(c);
                    }
                }
            }
        }
    }
}
