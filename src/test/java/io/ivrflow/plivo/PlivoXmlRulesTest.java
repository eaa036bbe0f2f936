package io.ivrflow.plivo;

import com.plivo.api.exceptions.PlivoXmlException;
import com.plivo.api.xml.Response;
import com.plivo.api.xml.Speak;
import com.plivo.api.xml.Wait;
import com.plivo.api.xml.GetDigits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PlivoXmlRules} accepts real-looking documents and catches one violation per rule family;
 * {@link PlivoSdkXml} rebuilds the valid ones with plivo-java and refuses what the SDK cannot express.
 */
class PlivoXmlRulesTest {

    // ---------------------------------------------------------------------------------------------------------------
    // Valid documents, shaped like what the service returns
    // ---------------------------------------------------------------------------------------------------------------

    /** Main menu: prompts inside GetDigits, a fallback Speak when nothing is pressed, then back to the menu. */
    static final String IVR_MENU = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <GetDigits action="https://ivr.example.com/plivo/input?flow=main&amp;node=menu" method="POST" timeout="5"
                         digitTimeout="2" finishOnKey="none" numDigits="1" retries="2" validDigits="123" redirect="true"
                         playBeep="false" log="false">
                <Speak voice="Polly.Lupe" language="es-US">Para ventas, oprima 1. Para soporte, oprima 2.</Speak>
                <Play loop="1">https://cdn.example.com/prompts/menu-tail.mp3</Play>
              </GetDigits>
              <Speak language="en-US" voice="WOMAN" loop="1">We did not receive any input.</Speak>
              <Redirect method="POST">https://ivr.example.com/plivo/answer?flow=main&amp;node=menu&amp;attempt=2</Redirect>
            </Response>
            """;

    /** Transfer to an agent: ring a number and a SIP user at once, with a status callback. */
    static final String TRANSFER = """
            <Response>
              <Speak voice="MAN">Connecting you to an agent.</Speak>
              <Dial action="https://ivr.example.com/plivo/dial-status?call=abc" method="POST" redirect="true" timeout="25"
                    timeLimit="3600" callerId="14155550100" callerName="Example Support" hangupOnStar="true"
                    callbackUrl="https://ivr.example.com/plivo/dial-events" callbackMethod="POST" dialMusic="real">
                <Number sendDigits="wwww2410" sendOnPreanswer="false">+14155550123</Number>
                <User sipHeaders="queue=sales,tier=gold">sip:agent1007@phone.plivo.com</User>
              </Dial>
            </Response>
            """;

    /** Voicemail: a prompt, a recording with a callback, then hang up. */
    static final String VOICEMAIL = """
            <Response>
              <Speak>Please leave a message after the beep. Press the hash key when done.</Speak>
              <Record action="https://ivr.example.com/plivo/recorded" method="POST" fileFormat="wav" maxLength="120"
                      timeout="5" playBeep="true" finishOnKey="#" redirect="false" recordChannelType="mono"
                      callbackUrl="https://ivr.example.com/plivo/recording-ready" callbackMethod="POST"/>
              <Hangup/>
            </Response>
            """;

    /** Closed hours: reject before answering, and a scheduled hangup behind a looping message. */
    static final String HANGUPS = """
            <Response>
              <Hangup reason="rejected"/>
              <Hangup schedule="60"/>
              <Speak loop="0">We are closed.</Speak>
            </Response>
            """;

    /** SSML needs a Polly voice; the tags below are those Plivo lists. */
    static final String SSML = """
            <Response>
              <Speak voice="Polly.Joanna" language="en-US">Your balance is
                <say-as interpret-as="cardinal">42</say-as> dollars.<break time="500ms"/>
                <prosody rate="slow" volume="loud">Thank you</prosody> <emphasis level="moderate">very</emphasis> much.
                <lang xml:lang="fr-FR">Au revoir</lang><sub alias="Example Corporation">ExCorp</sub>
                <s>One sentence <w role="amazon:VB">read</w>.</s><p>One paragraph.</p>
                <phoneme alphabet="ipa" ph="pɪˈkɑːn">pecan</phoneme>
              </Speak>
            </Response>
            """;

    /** Characters XML must escape, in text, attribute and URL body; and a CDATA section that means the same. */
    static final String ESCAPED = """
            <Response>
              <Speak>Tom &amp; Jerry say &lt;hello&gt; and "bye"</Speak>
              <Speak><![CDATA[Fish & Chips]]></Speak>
              <Play>https://cdn.example.com/tts?text=a&amp;b=c</Play>
              <Redirect>https://ivr.example.com/plivo/next?a=1&amp;b=2</Redirect>
              <Dial callerName="Tom &amp; Jerry &quot;Ltd&quot;"><Number>442071234567</Number></Dial>
            </Response>
            """;

    /** Early media before answering: the three elements PreAnswer takes. */
    static final String PRE_ANSWER = """
            <Response>
              <PreAnswer>
                <Speak>Calls may be recorded.</Speak>
                <Wait length="2"/>
                <Play>https://cdn.example.com/prompts/chime.wav</Play>
              </PreAnswer>
              <Wait length="3" silence="true" minSilence="1500"/>
              <DTMF>12w3#</DTMF>
            </Response>
            """;

    static Stream<Arguments> validDocuments() {
        return Stream.of(
                Arguments.of("IVR menu", IVR_MENU),
                Arguments.of("transfer", TRANSFER),
                Arguments.of("voicemail", VOICEMAIL),
                Arguments.of("hangups", HANGUPS),
                Arguments.of("SSML", SSML),
                Arguments.of("escaped", ESCAPED),
                Arguments.of("pre-answer", PRE_ANSWER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDocuments")
    void validDocumentsHaveNoViolations(String name, String xml) {
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One violation per rule
    // ---------------------------------------------------------------------------------------------------------------

    static String response(String body) {
        return "<Response>" + body + "</Response>";
    }

    /** Each case breaks exactly one rule; the violation must name where and what. */
    static Stream<Arguments> singleViolations() {
        return Stream.of(
                // §1.1 structure
                Arguments.of("root is not Response", "<Reply><Speak>Hi</Speak></Reply>",
                        "/Reply: the root element must be <Response>"),
                Arguments.of("root in lowercase", "<response><Speak>Hi</Speak></response>",
                        "did you mean <Response>?"),
                Arguments.of("lowercase speak", response("<speak>Hi</speak>"),
                        "/Response/speak[1]: <speak> is not a Plivo XML element; element names are case-sensitive: did you mean <Speak>?"),
                Arguments.of("unknown element", response("<Say>Hi</Say>"),
                        "/Response/Say[1]: <Say> is not a Plivo XML element"),
                Arguments.of("element the rules do not cover", response("<Message>hi</Message>"),
                        "<Message> is a Plivo element these rules do not cover"),
                Arguments.of("text directly in Response", response("Hello<Hangup/>"),
                        "/Response: <Response> takes no text, found \"Hello\""),
                // §1.2 nesting
                Arguments.of("Wait inside GetDigits",
                        response("<GetDigits action=\"https://x.example/a\"><Wait length=\"2\"/></GetDigits>"),
                        "/Response/GetDigits[1]/Wait[1]: <Wait> is not allowed inside <GetDigits> (allowed: Play, Speak)"),
                Arguments.of("GetDigits inside PreAnswer", response("<PreAnswer><GetDigits/></PreAnswer>"),
                        "<GetDigits> is not allowed inside <PreAnswer> (allowed: Play, Speak, Wait)"),
                Arguments.of("Speak inside Dial",
                        response("<Dial><Number>14155550123</Number><Speak>Hi</Speak></Dial>"),
                        "<Speak> is not allowed inside <Dial> (allowed: Number, User)"),
                Arguments.of("element inside a leaf", response("<Play><Speak>Hi</Speak>https://x.example/a.mp3</Play>"),
                        "/Response/Play[1]/Speak[1]: <Speak> is not allowed inside <Play> (it takes no child elements)"),
                Arguments.of("empty Dial", response("<Dial action=\"https://x.example/a\"></Dial>"),
                        "/Response/Dial[1]: <Dial> needs at least one <Number> or <User> to call"),
                Arguments.of("SSML tag Plivo does not list", response("<Speak voice=\"Polly.Joanna\">Hi <mark name=\"a\"/></Speak>"),
                        "/Response/Speak[1]/mark[1]: <mark> is not a Plivo XML element"),
                Arguments.of("paragraph inside a sentence", response("<Speak voice=\"Polly.Joanna\"><s><p>Hi</p></s></Speak>"),
                        "<p> is not allowed inside <s>"),
                // §1.3 attribute names
                Arguments.of("unknown attribute", response("<GetDigits actionUrl=\"https://x.example/a\"/>"),
                        "/Response/GetDigits[1]: attribute actionUrl is not allowed on <GetDigits> (allowed: action, digitTimeout,"),
                Arguments.of("attribute in the wrong case", response("<Wait Length=\"2\"/>"),
                        "attribute Length is not allowed on <Wait>"),
                Arguments.of("SDK-only legs attribute", response("<Speak legs=\"aleg\">Hi</Speak>"),
                        "attribute legs is not allowed on <Speak>"),
                Arguments.of("attribute on PreAnswer", response("<PreAnswer loop=\"1\"><Speak>Hi</Speak></PreAnswer>"),
                        "attribute loop is not allowed on <PreAnswer> (it takes no attributes)"),
                Arguments.of("missing required attribute", response("<Speak voice=\"Polly.Joanna\"><sub>ExCorp</sub></Speak>"),
                        "/Response/Speak[1]/sub[1]: <sub> needs the attribute alias"),
                // §1.3 integers and ranges
                Arguments.of("numDigits=0", response("<GetDigits numDigits=\"0\"/>"),
                        "numDigits=\"0\" must be an integer from 1 to 99"),
                Arguments.of("numDigits=100", response("<GetDigits numDigits=\"100\"/>"),
                        "numDigits=\"100\" must be an integer from 1 to 99"),
                Arguments.of("timeout=0", response("<GetDigits timeout=\"0\"/>"), "timeout=\"0\" must be an integer >= 1"),
                Arguments.of("digitTimeout not a number", response("<GetDigits digitTimeout=\"2s\"/>"),
                        "digitTimeout=\"2s\" must be an integer >= 1"),
                Arguments.of("retries=0", response("<GetDigits retries=\"0\"/>"), "retries=\"0\" must be an integer >= 1"),
                Arguments.of("Wait length=0", response("<Wait length=\"0\"/>"), "length=\"0\" must be an integer >= 1"),
                Arguments.of("Record maxLength=1", response("<Record maxLength=\"1\"/>"), "maxLength=\"1\" must be an integer >= 2"),
                Arguments.of("Play loop=-1", response("<Play loop=\"-1\">https://x.example/a.mp3</Play>"),
                        "loop=\"-1\" must be an integer >= 0"),
                Arguments.of("Speak loop decimal", response("<Speak loop=\"1.5\">Hi</Speak>"), "loop=\"1.5\" must be an integer >= 0"),
                Arguments.of("Dial timeLimit=0", response("<Dial timeLimit=\"0\"><Number>14155550123</Number></Dial>"),
                        "timeLimit=\"0\" must be an integer >= 1"),
                Arguments.of("Hangup schedule=0", response("<Hangup schedule=\"0\"/>"), "schedule=\"0\" must be an integer >= 1"),
                Arguments.of("callerName of 51 characters",
                        response("<Dial callerName=\"" + "x".repeat(51) + "\"><Number>14155550123</Number></Dial>"),
                        "must be at most 50 characters"),
                // §1.3 booleans and enumerations
                Arguments.of("boolean yes", response("<GetDigits redirect=\"yes\"/>"), "redirect=\"yes\" must be one of true, false"),
                Arguments.of("boolean True", response("<Wait beep=\"True\"/>"), "beep=\"True\" must be one of true, false"),
                Arguments.of("method in lowercase", response("<Redirect method=\"post\">https://x.example/a</Redirect>"),
                        "method=\"post\" must be one of GET, POST"),
                Arguments.of("two finish keys", response("<GetDigits finishOnKey=\"*#\"/>"),
                        "finishOnKey=\"*#\" must be one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, *, #, '', none"),
                Arguments.of("fileFormat ogg", response("<Record fileFormat=\"ogg\"/>"), "fileFormat=\"ogg\" must be one of mp3, wav"),
                Arguments.of("Hangup reason normal", response("<Hangup reason=\"normal\"/>"), "reason=\"normal\" must be one of rejected, busy"),
                Arguments.of("voice in lowercase", response("<Speak voice=\"woman\">Hi</Speak>"),
                        "voice=\"woman\" must be WOMAN, MAN or Polly.<Name>"),
                Arguments.of("voice without Polly prefix", response("<Speak voice=\"Joanna\">Hi</Speak>"),
                        "voice=\"Joanna\" must be WOMAN, MAN or Polly.<Name>"),
                Arguments.of("language with underscore", response("<Speak language=\"en_US\">Hi</Speak>"),
                        "language=\"en_US\" must be a language such as en-US"),
                Arguments.of("validDigits with letters", response("<GetDigits validDigits=\"12a\"/>"),
                        "validDigits=\"12a\" must be one or more of 0-9, * and #"),
                // §1.3 URLs
                Arguments.of("relative action URL", response("<GetDigits action=\"/plivo/input\"/>"),
                        "/Response/GetDigits[1]: action=\"/plivo/input\" must be an absolute http(s) URL"),
                Arguments.of("ftp callbackUrl", response("<Record callbackUrl=\"ftp://x.example/r\"/>"),
                        "callbackUrl=\"ftp://x.example/r\" must be an absolute http(s) URL"),
                Arguments.of("relative Play body", response("<Play>prompts/menu.mp3</Play>"),
                        "the body of <Play> \"prompts/menu.mp3\" must be an absolute http(s) URL"),
                Arguments.of("dialMusic neither real nor URL",
                        response("<Dial dialMusic=\"ringback\"><Number>14155550123</Number></Dial>"),
                        "dialMusic=\"ringback\" must be one of real or an absolute http(s) URL"),
                // §1.3 bodies
                Arguments.of("empty Redirect", response("<Redirect method=\"GET\">  </Redirect>"),
                        "the body of <Redirect> \"\" must not be empty"),
                Arguments.of("empty Speak", response("<Speak voice=\"MAN\"></Speak>"),
                        "/Response/Speak[1]: <Speak> has nothing to say"),
                Arguments.of("Number with letters", response("<Dial><Number>555-CALL</Number></Dial>"),
                        "the body of <Number> \"555-CALL\" must be a phone number in E.164 form"),
                Arguments.of("User without sip:", response("<Dial><User>agent1007@phone.plivo.com</User></Dial>"),
                        "the body of <User> \"agent1007@phone.plivo.com\" must be a SIP URI starting with sip:"),
                Arguments.of("text inside GetDigits", response("<GetDigits>Press 1</GetDigits>"),
                        "<GetDigits> takes no text, found \"Press 1\""),
                Arguments.of("DTMF with letters", response("<DTMF>12ab</DTMF>"),
                        "the body of <DTMF> \"12ab\" must be DTMF digits"),
                // SSML only with Polly
                Arguments.of("SSML with WOMAN voice", response("<Speak voice=\"WOMAN\">Hi <break time=\"1s\"/> there</Speak>"),
                        "/Response/Speak[1]: SSML tags inside <Speak> need a Polly voice (voice=\"Polly.<Name>\"), not WOMAN"),
                Arguments.of("SSML with the default voice", response("<Speak>Hi <emphasis>there</emphasis></Speak>"),
                        "SSML tags inside <Speak> need a Polly voice"),
                Arguments.of("SSML break too long", response("<Speak voice=\"Polly.Joanna\">Hi <break time=\"11s\"/></Speak>"),
                        "time=\"11s\" must be at most 10s"),
                // §1.1 well-formedness and parser safety
                Arguments.of("malformed XML", "<Response><Speak>Hi</Response>", "not well-formed XML: line 1"),
                Arguments.of("unescaped ampersand", response("<Speak>Tom & Jerry</Speak>"), "not well-formed XML"),
                Arguments.of("DOCTYPE with an external entity",
                        "<!DOCTYPE Response [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]><Response><Speak>&secret;</Speak></Response>",
                        "not well-formed XML"),
                Arguments.of("processing instruction", response("<?php echo 1; ?><Hangup/>"),
                        "/Response: processing instruction <?php?> has no place in Plivo XML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleViolations")
    void eachRuleCatchesItsViolation(String name, String xml, String expectedFragment) {
        List<String> violations = PlivoXmlRules.violations(xml);
        assertEquals(1, violations.size(), () -> "expected exactly one violation, got " + violations);
        assertTrue(violations.get(0).contains(expectedFragment),
                () -> "expected a violation containing [" + expectedFragment + "], got " + violations);
    }

    @Test
    void doctypeIsRefusedBeforeAnyEntityIsRead() {
        String xml = "<!DOCTYPE Response [<!ENTITY secret SYSTEM \"file:///etc/hostname\">]>"
                + "<Response><Speak>&secret;</Speak></Response>";
        String violation = PlivoXmlRules.violations(xml).get(0);
        assertTrue(violation.contains("DOCTYPE"), violation);
    }

    @Test
    void oversizedDocumentIsReported() throws Exception {
        // 2,000 prompts of 68 bytes each: about 136 KB, well-formed and otherwise valid.
        String prompt = "<Speak>This sentence is here only to make the document big.</Speak>\n";
        String xml = response(prompt.repeat(2_000));
        List<String> violations = PlivoXmlRules.violations(xml);
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).startsWith("document is " + xml.length() + " bytes; Plivo accepts at most 100000"),
                violations.get(0));
        // and the limit is inclusive: a document of exactly MAX_DOCUMENT_BYTES passes
        String filler = "<Response><Speak>x</Speak></Response>";
        String padded = filler.replace("x", "x".repeat(PlivoXmlRules.MAX_DOCUMENT_BYTES - filler.length() + 1));
        assertEquals(PlivoXmlRules.MAX_DOCUMENT_BYTES, padded.length());
        assertEquals(List.of(), PlivoXmlRules.violations(padded));
    }

    @Test
    void sizeIsCountedInUtf8Bytes() {
        // 55,000 two-byte characters: under the limit counted in chars, over it (110,000+) counted in UTF-8 bytes
        String xml = response("<Speak>" + "é".repeat(55_000) + "</Speak>");
        assertTrue(xml.length() < PlivoXmlRules.MAX_DOCUMENT_BYTES);
        List<String> violations = PlivoXmlRules.violations(xml);
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).contains("bytes"), violations.get(0));
    }

    @Test
    void everyViolationInADocumentIsReported() {
        String xml = response("<GetDigits numDigits=\"0\" redirect=\"yes\"><Wait/></GetDigits><Dial/>");
        List<String> violations = PlivoXmlRules.violations(xml);
        assertEquals(4, violations.size(), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("numDigits")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("redirect")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("<Wait> is not allowed inside <GetDigits>")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("/Response/Dial[1]: <Dial> needs")), violations::toString);
    }

    @Test
    void pathsNumberSiblingsOfTheSameName() {
        String xml = response("<Speak>One</Speak><Play>https://x.example/a.mp3</Play><Speak loop=\"x\">Two</Speak>");
        assertEquals(List.of("/Response/Speak[2]: loop=\"x\" must be an integer >= 0"), PlivoXmlRules.violations(xml));
    }

    @Test
    void polyglotLanguagesAndAccentedPollyVoicesAreAccepted() {
        // the odd language codes of Plivo's list, and a Polly name with an accent (the SDK's own table has Penélope)
        String xml = response("<Speak language=\"arb\" voice=\"Polly.Zeina\">مرحبا</Speak>"
                + "<Speak language=\"en-GB-WLS\" voice=\"Polly.Geraint\">Hello</Speak>"
                + "<Speak language=\"es-US\" voice=\"Polly.Penélope\">Hola</Speak>"
                + "<Speak language=\"cmn-CN\">你好</Speak>");
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The SDK cross-check
    // ---------------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDocuments")
    void sdkExpressesValidDocumentsEquivalently(String name, String xml) {
        String sdkXml = PlivoSdkXml.express(xml);
        assertTrue(sdkXml.startsWith("<Response>"), sdkXml);
        PlivoSdkXml.assertEquivalent(xml, sdkXml);
    }

    @Test
    void sdkOutputKeepsEscapingAndThePollyVoiceTheAllowListWouldRefuse() {
        String escaped = PlivoSdkXml.express(ESCAPED);
        assertTrue(escaped.contains("Tom &amp; Jerry say &lt;hello&gt;"), escaped);
        assertTrue(escaped.contains("https://ivr.example.com/plivo/next?a=1&amp;b=2"), escaped);
        assertTrue(escaped.contains("callerName=\"Tom &amp; Jerry &quot;Ltd&quot;\""), escaped);

        String menu = PlivoSdkXml.express(IVR_MENU);
        assertTrue(menu.contains("voice=\"Polly.Lupe\" language=\"es-US\""), menu);
    }

    /**
     * Why {@link PlivoSdkXml#setSpeakVoice} goes around {@code Speak.voice()}: the SDK's allow-list lacks Polly.Lupe.
     * When a plivo-java update fixes that, this test fails, and the reflection can go.
     */
    @Test
    void sdkAllowListStillRejectsARealPollyVoice() {
        PlivoXmlException refusal = assertThrows(PlivoXmlException.class,
                () -> new Speak("Hola").language("es-US").voice("Polly.Lupe"));
        assertTrue(refusal.getMessage().contains("Polly.Lupe"), refusal.getMessage());
    }

    /** Why Wait inside GetDigits is refused, not just rule-checked: the SDK compiles it and writes garbage. */
    @Test
    void sdkStillMarshalsWaitInsideGetDigitsAsGarbage() throws Exception {
        String garbage = new Response().children(new GetDigits().children(new Wait().length(2))).toXmlString();
        // The element name it borrows varies between runs (<Speak …> or <Play …>); xsi:type="wait" and no <Wait> do not.
        assertTrue(garbage.contains("xsi:type=\"wait\""), garbage);
        assertFalse(garbage.contains("<Wait"), garbage);

        AssertionError error = assertThrows(AssertionError.class, () -> PlivoSdkXml.express(
                response("<GetDigits action=\"https://x.example/a\"><Wait length=\"2\"/></GetDigits>")));
        assertTrue(error.getMessage().startsWith("cannot express /Response/GetDigits[1]/Wait[1] with plivo-java: "
                + "the SDK's GetDigits cannot marshal a <Wait> child"), error.getMessage());
    }

    static Stream<Arguments> inexpressibleDocuments() {
        return Stream.of(
                Arguments.of("DTMF async: Dtmf has the field but no setter", response("<DTMF async=\"false\">12</DTMF>"),
                        "/Response/DTMF[1] with plivo-java: com.plivo.api.xml.Dtmf has no setter for attribute async"),
                Arguments.of("User SIP auth from the newer docs",
                        response("<Dial><User sipAuthUsername=\"bob\">sip:bob@x.example</User></Dial>"),
                        "/Response/Dial[1]/User[1] with plivo-java: com.plivo.api.xml.User has no setter for attribute sipAuthUsername"),
                Arguments.of("GetInput digitEndTimeout=auto: the setter takes an Integer",
                        response("<GetInput action=\"https://x.example/a\" digitEndTimeout=\"auto\"/>"),
                        "GetInput.digitEndTimeout takes an Integer; \"auto\" is not one"),
                Arguments.of("boolean the setter cannot type", response("<Wait beep=\"yes\"/>"),
                        "Wait.beep takes a Boolean; \"yes\" is not true or false"),
                Arguments.of("element the SDK builder does not have", response("<Say>Hi</Say>"),
                        "/Response/Say[1] with plivo-java: the SDK's Response cannot marshal a <Say> child"),
                Arguments.of("SSML tag without an SDK class", response("<Speak voice=\"Polly.Joanna\">Hi <mark name=\"a\"/></Speak>"),
                        "/Response/Speak[1]/mark[1] with plivo-java: the SDK has no SSML class for <mark>"),
                Arguments.of("SSML attribute no constructor takes", response("<Speak voice=\"Polly.Joanna\"><p id=\"x\">Hi</p></Speak>"),
                        "the SDK's <p> cannot carry attribute id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inexpressibleDocuments")
    void sdkRefusesClearlyWhatItCannotExpress(String name, String xml, String expectedFragment) {
        AssertionError error = assertThrows(AssertionError.class, () -> PlivoSdkXml.express(xml));
        assertTrue(error.getMessage().contains(expectedFragment),
                () -> "expected [" + expectedFragment + "] in: " + error.getMessage());
    }

    @Test
    void equivalenceIgnoresOnlyWhitespaceEscapingAndTheSdkDefaults() {
        String ours = response("<Speak>Tom &amp; Jerry</Speak>");
        PlivoSdkXml.assertEquivalent(ours,
                "<Response>\n<Speak voice=\"WOMAN\" language=\"en-US\" loop=\"1\" legs=\"aleg\">  Tom &#38; <![CDATA[Jerry]]>\n</Speak>\n</Response>");
    }

    static Stream<Arguments> differencesEquivalenceMustCatch() {
        String ours = response("<Speak voice=\"MAN\">Hello <break time=\"1s\"/>world</Speak><Hangup/>");
        return Stream.of(
                Arguments.of("different text", ours,
                        response("<Speak voice=\"MAN\">Hello <break time=\"1s\"/>word</Speak><Hangup/>"),
                        "/Response/Speak[1]: content item 3 differs: we have text \"world\", the SDK has text \"word\""),
                Arguments.of("different attribute value", ours,
                        response("<Speak voice=\"WOMAN\">Hello <break time=\"1s\"/>world</Speak><Hangup/>"),
                        "attribute voice is \"MAN\" in ours but \"WOMAN\" in the SDK's"),
                Arguments.of("attribute missing in the SDK's", ours,
                        response("<Speak voice=\"MAN\">Hello <break/>world</Speak><Hangup/>"),
                        "/Response/Speak[1]/break[1]: attribute time is \"1s\" in ours but missing"),
                Arguments.of("SDK-added attribute that is not a default", ours,
                        response("<Speak voice=\"MAN\" language=\"fr-FR\">Hello <break time=\"1s\"/>world</Speak><Hangup/>"),
                        "the SDK adds language=\"fr-FR\", which ours does not have (only language=\"en-US\" is an ignorable default)"),
                Arguments.of("SDK-added attribute on an element without defaults", ours,
                        response("<Speak voice=\"MAN\">Hello <break time=\"1s\"/>world</Speak><Hangup reason=\"busy\"/>"),
                        "/Response/Hangup[1]: the SDK adds reason=\"busy\""),
                Arguments.of("missing element", ours,
                        response("<Speak voice=\"MAN\">Hello <break time=\"1s\"/>world</Speak>"),
                        "/Response: content item 2 differs: we have <Hangup>, the SDK has nothing"),
                Arguments.of("renamed element", ours,
                        response("<Speak voice=\"MAN\">Hello <break time=\"1s\"/>world</Speak><Redirect/>"),
                        "we have <Hangup>, the SDK has <Redirect>"),
                Arguments.of("unescaped SDK output", response("<Speak>Tom &amp; Jerry</Speak>"),
                        response("<Speak>Tom & Jerry</Speak>"),
                        "the SDK's output (the SDK escapes nothing) is not well-formed XML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differencesEquivalenceMustCatch")
    void equivalenceCatchesRealDifferences(String name, String ours, String sdk, String expectedFragment) {
        AssertionError error = assertThrows(AssertionError.class, () -> PlivoSdkXml.assertEquivalent(ours, sdk));
        assertTrue(error.getMessage().contains(expectedFragment),
                () -> "expected [" + expectedFragment + "] in: " + error.getMessage());
    }

    @Test
    void rulesAndSdkAgreeOnWhichChildrenMayNest() {
        // Where the SDK marshals more than the docs allow (Wait inside GetInput), the rules are the stricter side;
        // nowhere may the rules allow a child the SDK cannot write.
        PlivoSdkXml.SDK_MARSHALLED_CHILDREN.forEach((parent, sdkChildren) -> {
            for (String child : PlivoXmlRules.ALLOWED_CHILDREN.get(parent)) {
                assertTrue(sdkChildren.contains(child), parent + " > " + child + " is allowed by the rules but not marshalled by the SDK");
            }
        });
        assertFalse(PlivoXmlRules.ALLOWED_CHILDREN.get("GetInput").contains("Wait"));
        assertTrue(PlivoSdkXml.SDK_MARSHALLED_CHILDREN.get("GetInput").contains("Wait"));
    }
}
