package io.ivrflow.plivo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlivoXmlTest {

    @Test
    void textAndUrlsAreEscapedSoTheDocumentStaysWellFormed() {
        String xml = new PlivoXml()
                .speak("Polly.Joanna", "en-US", "Tom & Jerry say \"<hi>\"\u0007")
                .play("https://cdn.example.com/a.mp3?x=1&y=2")
                .redirect("https://ivr.example.com/plivo/f/next?s=abc&lang=es")
                .done();
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Speak voice=\"Polly.Joanna\" language=\"en-US\">Tom &amp; Jerry say \"&lt;hi&gt;\"</Speak>"
                + "<Play>https://cdn.example.com/a.mp3?x=1&amp;y=2</Play>"
                + "<Redirect method=\"POST\">https://ivr.example.com/plivo/f/next?s=abc&amp;lang=es</Redirect>"
                + "</Response>", xml);
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
        PlivoSdkXml.assertEquivalent(xml, PlivoSdkXml.express(xml));
    }

    @Test
    void getDigitsWritesOnlyWhatDiffersFromPlivosDefaultsAndNestsItsPrompts() {
        PlivoXml x = new PlivoXml();
        x.getDigits("https://h/plivo/f/input?s=t&a=b", 5, 3, "none", 16, false)
                .speak("WOMAN", "en-US", "Card number?").endGetDigits().redirect("https://h/plivo/f/noinput?s=t");
        String xml = x.done();
        assertTrue(xml.contains("<GetDigits action=\"https://h/plivo/f/input?s=t&amp;a=b\" method=\"POST\" digitTimeout=\"3\" "
                + "finishOnKey=\"none\" numDigits=\"16\" retries=\"1\" redirect=\"true\" log=\"false\">"
                + "<Speak language=\"en-US\">Card number?</Speak></GetDigits>"), xml);
        assertFalse(xml.contains("timeout=\"5\""));
        assertEquals(2, x.elements(), "nested prompts are not top-level elements");
        assertTrue(x.hasAudio() && x.ended());
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
        PlivoSdkXml.assertEquivalent(xml, PlivoSdkXml.express(xml));
    }

    @Test
    void dialRecordAndHangupFollowPlivosRules() {
        String xml = new PlivoXml()
                .dial("https://h/plivo/f/dialed?s=t", "+15550199999", 30).number("+15550123456").user("sip:sales@acme.example").endDial()
                .record("https://h/plivo/f/recorded?s=t&mailbox=general", 120, 5)
                .hangup().done();
        assertTrue(xml.contains("<Dial action=\"https://h/plivo/f/dialed?s=t\" method=\"POST\" redirect=\"true\" "
                + "callerId=\"+15550199999\" timeout=\"30\"><Number>+15550123456</Number><User>sip:sales@acme.example</User></Dial>"), xml);
        assertTrue(xml.contains("maxLength=\"120\" timeout=\"5\" finishOnKey=\"#\" playBeep=\"true\"/>"), xml);
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
        PlivoSdkXml.assertEquivalent(xml, PlivoSdkXml.express(xml));
    }

    @Test
    void ssmlBodiesLoseTheirSpeakRoot() {
        assertEquals("Hi <break time=\"1s\"/> there", PlivoCalls.ssmlBody("<speak xml:lang=\"en\">Hi <break time=\"1s\"/> there</speak>"));
        assertEquals("Hi <emphasis>you</emphasis>", PlivoCalls.ssmlBody("Hi <emphasis>you</emphasis>"));
    }
}
