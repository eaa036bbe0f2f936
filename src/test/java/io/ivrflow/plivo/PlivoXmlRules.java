package io.ivrflow.plivo;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static java.util.Map.entry;

/**
 * The rules of Plivo XML (reference {@code plivo.md} §1) as a checker the tests run on every document the service returns.
 * {@link #violations(String)} gives one human-readable line per problem, each starting with the element's path
 * ({@code /Response/GetDigits[1]/Wait[1]}); an empty list means the document is valid.
 *
 * <p>The rule data is kept as tables right below, in the order of §1: nesting (§1.2), then attributes and bodies (§1.3).
 * Where Plivo's docs and the SDK disagree, the docs win (e.g. no Wait inside GetDigits), because Plivo executes the
 * document, not the SDK. The SSML part (tags inside Speak) follows the tag list of §1.2; which SSML tag may sit inside
 * which, and their attribute names, follow the SDK's SSML classes, which mirror Amazon Polly's SSML.
 */
public final class PlivoXmlRules {

    // ---------------------------------------------------------------------------------------------------------------
    // §1.1 General rules
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * "The XML returned to a Plivo request may be at most 100 KB." Counted as 100,000 UTF-8 bytes, the stricter reading
     * of "KB", so that we never sit in the gap between the two readings.
     */
    public static final int MAX_DOCUMENT_BYTES = 100_000;

    static final String ROOT = "Response";

    // ---------------------------------------------------------------------------------------------------------------
    // §1.2 Nesting: element -> the elements allowed directly inside it (docs column). An empty set means a leaf.
    // ---------------------------------------------------------------------------------------------------------------

    /** The SSML tags Plivo accepts inside Speak (only with a Polly voice). */
    static final Set<String> SSML_TAGS =
            Set.of("break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w");

    static final Map<String, Set<String>> ALLOWED_CHILDREN = Map.ofEntries(
            entry("Response", Set.of("Speak", "Play", "Wait", "GetDigits", "GetInput", "Dial", "Redirect", "Hangup",
                    "Record", "PreAnswer", "Conference", "DTMF", "Stream", "MultiPartyCall", "Message")),
            // The SDK also lets Wait in here and then marshals it as garbage; the docs say Speak and Play only.
            entry("GetDigits", Set.of("Speak", "Play")),
            entry("GetInput", Set.of("Speak", "Play")),
            entry("PreAnswer", Set.of("Speak", "Play", "Wait")),
            entry("Dial", Set.of("Number", "User")),
            entry("Speak", SSML_TAGS),
            entry("Play", Set.of()),
            entry("Wait", Set.of()),
            entry("Redirect", Set.of()),
            entry("Hangup", Set.of()),
            entry("Record", Set.of()),
            entry("DTMF", Set.of()),
            entry("Number", Set.of()),
            entry("User", Set.of()),
            entry("Stream", Set.of()),
            entry("Conference", Set.of()),
            // SSML inside SSML, as the SDK's *Nestable marker interfaces allow it (they mirror Polly's SSML).
            entry("emphasis", Set.of("break", "emphasis", "lang", "phoneme", "prosody", "say-as", "sub", "w")),
            entry("lang", SSML_TAGS),
            entry("p", Set.of("break", "emphasis", "lang", "phoneme", "prosody", "s", "say-as", "sub", "w")),
            entry("prosody", SSML_TAGS),
            entry("s", Set.of("break", "emphasis", "lang", "phoneme", "prosody", "say-as", "sub", "w")),
            entry("w", Set.of("break", "emphasis", "phoneme", "prosody", "say-as", "sub")),
            entry("break", Set.of()),
            entry("phoneme", Set.of()),
            entry("say-as", Set.of()),
            entry("sub", Set.of()));

    /** Elements a Dial must contain at least one of: a Dial with nobody to call is an error. */
    static final Set<String> DIAL_TARGETS = Set.of("Number", "User");

    /**
     * Real Plivo elements that §1.3 does not describe fully (no attribute list for Message, a partial one for
     * MultiPartyCall). They are reported as "not covered" rather than "unknown", so the fix is to extend the tables.
     */
    static final Set<String> NOT_COVERED = Set.of("Message", "MultiPartyCall");

    // ---------------------------------------------------------------------------------------------------------------
    // §1.3 Attributes: element -> attribute -> what its value must be. Attributes missing from an element's map are
    // rejected (names are camelCase and case-sensitive).
    // ---------------------------------------------------------------------------------------------------------------

    /** Checks one attribute value or body text; returns null when it is fine, else what it must be. */
    @FunctionalInterface
    interface ValueRule {
        String problem(String value);
    }

    static final ValueRule BOOLEAN = oneOf("true", "false");
    static final ValueRule HTTP_METHOD = oneOf("GET", "POST");
    static final ValueRule URL = PlivoXmlRules::absoluteHttpUrlProblem;
    static final ValueRule NON_EMPTY = value -> value.isBlank() ? "must not be empty" : null;
    /** One key ends the input: a digit, *, #, or '' / none to turn the terminator off. */
    static final ValueRule FINISH_ON_KEY =
            oneOf("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "", "none");
    /** Record's legacy default is the set "1234567890*#", so Record also takes several keys. */
    static final ValueRule RECORD_FINISH_ON_KEY = anyOf(FINISH_ON_KEY,
            matching("[0-9*#]+", "one or more of 0-9, * and #"));
    static final ValueRule DIGIT_SET = matching("[0-9*#]+", "one or more of 0-9, * and #");
    /** E.164-ish: an optional +, then 2 to 15 digits, the first not 0. */
    static final ValueRule PHONE_NUMBER = matching("\\+?[1-9][0-9]{1,14}", "a phone number in E.164 form (digits only)");
    static final ValueRule SIP_URI = matching("sip:\\S+", "a SIP URI starting with sip:");
    /** DTMF to send: digits, * and #, w = 0.5 s pause, W = 1 s pause. */
    static final ValueRule DTMF_DIGITS = matching("[0-9*#wW]+", "DTMF digits (0-9, *, #, w, W)");
    static final ValueRule DIGIT_PATTERNS = matching("[0-9*#]+(,[0-9*#]+)*", "comma-separated digit patterns");
    /** k=v,k2=v2 with names and values limited to [A-Za-z0-9]. */
    static final ValueRule HEADER_PAIRS = matching("[A-Za-z0-9]+=[A-Za-z0-9]+(,[A-Za-z0-9]+=[A-Za-z0-9]+)*",
            "name=value pairs separated by commas, letters and digits only");
    /** WOMAN, MAN, or an Amazon Polly voice written Polly.<Name> (accented names such as Penélope exist). */
    static final ValueRule VOICE = matching("WOMAN|MAN|Polly\\.\\p{Lu}\\p{L}*", "WOMAN, MAN or Polly.<Name>");
    /** xx-YY (also cmn-CN), plus the two odd ones out in Plivo's list: arb and en-GB-WLS. */
    static final ValueRule LANGUAGE = matching("[a-z]{2,3}-[A-Z]{2}|arb|en-GB-WLS", "a language such as en-US, arb or en-GB-WLS");
    static final ValueRule SOUND = anyOf(oneOf("", "beep:1", "beep:2"), URL);
    static final ValueRule TRANSCRIPTION_TYPE = oneOf("auto"); // "hybrid" was deprecated in 2020
    static final ValueRule WSS_URL = matching("wss://\\S+", "a wss:// URL");
    static final ValueRule END_TIMEOUT = anyOf(integerBetween(2, 10), oneOf("auto"));

    static final Map<String, Map<String, ValueRule>> ATTRIBUTES = Map.ofEntries(
            entry("Response", Map.of()),
            entry("Speak", Map.of(
                    "voice", VOICE,
                    "language", LANGUAGE,
                    "loop", integerAtLeast(0))), // 0 = until the call ends
            entry("Play", Map.of(
                    "loop", integerAtLeast(0))),
            entry("Wait", Map.of(
                    "length", integerAtLeast(1),
                    "silence", BOOLEAN,
                    "minSilence", integerAtLeast(1),
                    "beep", BOOLEAN)),
            entry("GetDigits", Map.ofEntries(
                    entry("action", URL),
                    entry("method", HTTP_METHOD),
                    entry("timeout", integerAtLeast(1)),
                    entry("digitTimeout", integerAtLeast(1)),
                    entry("finishOnKey", FINISH_ON_KEY),
                    entry("numDigits", integerBetween(1, 99)),
                    entry("retries", integerAtLeast(1)),
                    entry("redirect", BOOLEAN),
                    entry("playBeep", BOOLEAN),
                    entry("validDigits", DIGIT_SET),
                    entry("invalidDigitsSound", URL),
                    entry("log", BOOLEAN))),
            entry("GetInput", Map.ofEntries(
                    entry("action", URL),
                    entry("method", HTTP_METHOD),
                    entry("inputType", oneOf("dtmf", "speech", "dtmf speech")),
                    entry("executionTimeout", integerBetween(5, 60)),
                    entry("digitEndTimeout", END_TIMEOUT),
                    entry("speechEndTimeout", END_TIMEOUT),
                    entry("finishOnKey", FINISH_ON_KEY),
                    entry("numDigits", integerAtLeast(1)),
                    entry("speechModel", NON_EMPTY),
                    entry("hints", NON_EMPTY),
                    entry("language", LANGUAGE),
                    entry("interimSpeechResultsCallback", URL),
                    entry("interimSpeechResultsCallbackMethod", HTTP_METHOD),
                    entry("redirect", BOOLEAN),
                    entry("log", BOOLEAN),
                    entry("profanityFilter", BOOLEAN))),
            entry("Dial", Map.ofEntries(
                    entry("action", URL),
                    entry("method", HTTP_METHOD),
                    entry("redirect", BOOLEAN),
                    entry("hangupOnStar", BOOLEAN),
                    entry("timeLimit", integerAtLeast(1)),
                    entry("timeout", integerAtLeast(1)),
                    entry("callerId", PHONE_NUMBER),
                    entry("callerName", allOf(NON_EMPTY, atMostChars(50))),
                    entry("confirmSound", URL),
                    entry("confirmKey", oneOf("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#")),
                    entry("confirmTimeout", integerAtLeast(1)),
                    entry("dialMusic", anyOf(oneOf("real"), URL)),
                    entry("callbackUrl", URL),
                    entry("callbackMethod", HTTP_METHOD),
                    entry("digitsMatch", DIGIT_PATTERNS),
                    entry("digitsMatchBLeg", DIGIT_PATTERNS),
                    entry("sipHeaders", HEADER_PAIRS))),
            entry("Number", Map.of(
                    "sendDigits", DTMF_DIGITS,
                    "sendOnPreanswer", BOOLEAN)),
            entry("User", Map.of(
                    "sendDigits", DTMF_DIGITS,
                    "sendOnPreanswer", BOOLEAN,
                    "sipHeaders", HEADER_PAIRS,
                    "sipAuthUsername", NON_EMPTY, // newer docs (SIP digest); the SDK has no setter for these two
                    "sipAuthPassword", NON_EMPTY)),
            entry("Redirect", Map.of(
                    "method", HTTP_METHOD)),
            entry("Hangup", Map.of(
                    "reason", oneOf("rejected", "busy"),
                    "schedule", integerAtLeast(1))),
            entry("Record", Map.ofEntries(
                    entry("action", URL),
                    entry("method", HTTP_METHOD),
                    entry("fileFormat", oneOf("mp3", "wav")),
                    entry("redirect", BOOLEAN),
                    entry("timeout", integerAtLeast(1)),
                    entry("maxLength", integerAtLeast(2)), // "must be > 1"
                    entry("playBeep", BOOLEAN),
                    entry("finishOnKey", RECORD_FINISH_ON_KEY),
                    entry("recordSession", BOOLEAN),
                    entry("startOnDialAnswer", BOOLEAN),
                    entry("recordChannelType", oneOf("mono", "stereo")),
                    entry("transcriptionType", TRANSCRIPTION_TYPE),
                    entry("transcriptionUrl", URL),
                    entry("transcriptionMethod", HTTP_METHOD),
                    entry("callbackUrl", URL),
                    entry("callbackMethod", HTTP_METHOD))),
            entry("PreAnswer", Map.of()),
            entry("Conference", Map.ofEntries(
                    entry("muted", BOOLEAN),
                    entry("enterSound", SOUND),
                    entry("exitSound", SOUND),
                    entry("startConferenceOnEnter", BOOLEAN),
                    entry("endConferenceOnExit", BOOLEAN),
                    entry("stayAlone", BOOLEAN),
                    entry("waitSound", URL),
                    entry("maxMembers", integerBetween(1, 20)),
                    entry("timeLimit", integerAtLeast(1)),
                    entry("hangupOnStar", BOOLEAN),
                    entry("record", BOOLEAN),
                    entry("recordFileFormat", oneOf("mp3", "wav")),
                    entry("transcriptionType", TRANSCRIPTION_TYPE),
                    entry("transcriptionUrl", URL),
                    entry("transcriptionMethod", HTTP_METHOD),
                    entry("action", URL),
                    entry("method", HTTP_METHOD),
                    entry("callbackUrl", URL),
                    entry("callbackMethod", HTTP_METHOD),
                    entry("redirect", BOOLEAN),
                    entry("digitsMatch", DIGIT_PATTERNS),
                    entry("floorEvent", BOOLEAN),
                    entry("relayDTMF", BOOLEAN))),
            entry("DTMF", Map.of(
                    "async", BOOLEAN)),
            entry("Stream", Map.of(
                    "bidirectional", BOOLEAN,
                    "audioTrack", oneOf("inbound", "outbound", "both"),
                    "streamTimeout", integerAtLeast(1),
                    "statusCallbackUrl", URL,
                    "statusCallbackMethod", HTTP_METHOD,
                    "contentType", oneOf("audio/x-l16;rate=8000", "audio/x-l16;rate=16000", "audio/x-mulaw;rate=8000"),
                    "extraHeaders", allOf(HEADER_PAIRS, atMostChars(512)),
                    "keepCallAlive", BOOLEAN)),
            // SSML (Polly): attribute names as in the SDK's SSML classes, enumerations from the SSML spec Polly follows.
            entry("break", Map.of(
                    "strength", oneOf("none", "x-weak", "weak", "medium", "strong", "x-strong"),
                    "time", PlivoXmlRules::breakTimeProblem)),
            entry("emphasis", Map.of(
                    "level", oneOf("strong", "moderate", "reduced"))),
            entry("lang", Map.of(
                    "xml:lang", LANGUAGE)),
            entry("p", Map.of()),
            entry("s", Map.of()),
            entry("phoneme", Map.of(
                    "alphabet", oneOf("ipa", "x-sampa"),
                    "ph", NON_EMPTY)),
            entry("prosody", Map.of(
                    "volume", NON_EMPTY,
                    "rate", NON_EMPTY,
                    "pitch", NON_EMPTY)),
            entry("say-as", Map.of(
                    "interpret-as", NON_EMPTY,
                    "format", NON_EMPTY)),
            entry("sub", Map.of(
                    "alias", NON_EMPTY)),
            entry("w", Map.of(
                    "role", NON_EMPTY)));

    /** Attributes without which the element means nothing. */
    static final Map<String, Set<String>> REQUIRED_ATTRIBUTES = Map.of(
            "GetInput", Set.of("action"),
            "lang", Set.of("xml:lang"),
            "phoneme", Set.of("ph"),
            "say-as", Set.of("interpret-as"),
            "sub", Set.of("alias"));

    // ---------------------------------------------------------------------------------------------------------------
    // §1.3 Bodies: what may stand as text between an element's tags.
    // ---------------------------------------------------------------------------------------------------------------

    /** Text bodies that are required and must have a given form (checked after trimming). */
    static final Map<String, ValueRule> TEXT_BODIES = Map.of(
            "Play", URL,
            "Redirect", URL,
            "Number", PHONE_NUMBER,
            "User", SIP_URI,
            "DTMF", DTMF_DIGITS,
            "Conference", NON_EMPTY, // the room name
            "Stream", WSS_URL,
            "phoneme", NON_EMPTY,
            "say-as", NON_EMPTY,
            "sub", NON_EMPTY);

    /** Mixed text-and-SSML bodies that must say something: text somewhere inside, possibly within SSML tags. */
    static final Set<String> SPOKEN_BODIES = Set.of("Speak", "emphasis", "lang", "p", "prosody", "s", "w");

    // Every other element (Response, GetDigits, GetInput, Dial, PreAnswer, Wait, Hangup, Record, break) has no text.

    private PlivoXmlRules() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checking
    // ---------------------------------------------------------------------------------------------------------------

    /** Every rule of §1 the document breaks, one line each; an empty list means the document is valid Plivo XML. */
    public static List<String> violations(String xml) {
        List<String> violations = new ArrayList<>();
        int bytes = xml.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DOCUMENT_BYTES) {
            violations.add("document is " + bytes + " bytes; Plivo accepts at most " + MAX_DOCUMENT_BYTES + " (100 KB)");
        }
        Document document;
        try {
            document = parseSecurely(xml);
        } catch (SAXException e) {
            violations.add("not well-formed XML: " + describe(e));
            return violations;
        }
        Element root = document.getDocumentElement();
        String rootPath = "/" + root.getTagName();
        if (!ROOT.equals(root.getTagName())) {
            violations.add(rootPath + ": the root element must be <Response>" + caseHint(root.getTagName()));
            return violations;
        }
        checkElement(root, rootPath, violations);
        return violations;
    }

    private static void checkElement(Element element, String path, List<String> violations) {
        String name = element.getTagName();
        checkAttributes(element, path, violations);
        checkBody(element, path, violations);

        Set<String> allowedChildren = ALLOWED_CHILDREN.get(name);
        Map<String, Integer> seenByName = new HashMap<>();
        for (Element child : childElements(element)) {
            String childName = child.getTagName();
            int index = seenByName.merge(childName, 1, Integer::sum);
            String childPath = path + "/" + childName + "[" + index + "]";
            if (!ALLOWED_CHILDREN.containsKey(childName)) {
                violations.add(childPath + ": " + unknownElementMessage(childName));
                continue; // nothing more can be said about an element we know nothing of
            }
            if (!allowedChildren.contains(childName)) {
                violations.add(childPath + ": <" + childName + "> is not allowed inside <" + name + ">"
                        + (allowedChildren.isEmpty() ? " (it takes no child elements)" : " (allowed: " + sorted(allowedChildren) + ")"));
            }
            checkElement(child, childPath, violations);
        }

        if ("Dial".equals(name) && childElements(element).stream().noneMatch(c -> DIAL_TARGETS.contains(c.getTagName()))) {
            violations.add(path + ": <Dial> needs at least one <Number> or <User> to call");
        }
        if ("Speak".equals(name) && !childElements(element).isEmpty()) {
            String voice = element.hasAttribute("voice") ? element.getAttribute("voice") : "WOMAN";
            if (!voice.startsWith("Polly.")) {
                violations.add(path + ": SSML tags inside <Speak> need a Polly voice (voice=\"Polly.<Name>\"), not " + voice);
            }
        }
        if ("Stream".equals(name) && "true".equals(element.getAttribute("bidirectional"))
                && element.hasAttribute("audioTrack") && !"inbound".equals(element.getAttribute("audioTrack"))) {
            violations.add(path + ": a bidirectional <Stream> must have audioTrack=\"inbound\"");
        }
    }

    private static void checkAttributes(Element element, String path, List<String> violations) {
        String name = element.getTagName();
        Map<String, ValueRule> allowed = ATTRIBUTES.get(name);
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            String attributeName = attribute.getName();
            ValueRule rule = allowed.get(attributeName);
            if (rule == null) {
                violations.add(path + ": attribute " + attributeName + " is not allowed on <" + name + ">"
                        + (allowed.isEmpty() ? " (it takes no attributes)" : " (allowed: " + sorted(allowed.keySet()) + ")"));
                continue;
            }
            String problem = rule.problem(attribute.getValue());
            if (problem != null) {
                violations.add(path + ": " + attributeName + "=\"" + attribute.getValue() + "\" " + problem);
            }
        }
        for (String required : REQUIRED_ATTRIBUTES.getOrDefault(name, Set.of())) {
            if (!element.hasAttribute(required)) {
                violations.add(path + ": <" + name + "> needs the attribute " + required);
            }
        }
    }

    private static void checkBody(Element element, String path, List<String> violations) {
        String name = element.getTagName();
        StringBuilder ownText = new StringBuilder();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            switch (node.getNodeType()) {
                case Node.TEXT_NODE:
                case Node.CDATA_SECTION_NODE:
                    ownText.append(node.getNodeValue());
                    break;
                case Node.PROCESSING_INSTRUCTION_NODE:
                    violations.add(path + ": processing instruction <?" + node.getNodeName() + "?> has no place in Plivo XML");
                    break;
                default:
                    break; // elements are checked by the caller; comments are harmless
            }
        }
        ValueRule textRule = TEXT_BODIES.get(name);
        if (textRule != null) {
            String text = ownText.toString().trim();
            String problem = text.isEmpty() ? "must not be empty" : textRule.problem(text);
            if (problem != null) {
                violations.add(path + ": the body of <" + name + "> \"" + text + "\" " + problem);
            }
        } else if (SPOKEN_BODIES.contains(name)) {
            if (element.getTextContent().isBlank()) {
                violations.add(path + ": <" + name + "> has nothing to say (its text is empty)");
            }
        } else if (!ownText.toString().isBlank()) {
            violations.add(path + ": <" + name + "> takes no text, found \"" + ownText.toString().trim() + "\"");
        }
    }

    private static String unknownElementMessage(String name) {
        if (NOT_COVERED.contains(name)) {
            return "<" + name + "> is a Plivo element these rules do not cover (§1.3 has no full attribute list for it); "
                    + "extend PlivoXmlRules before emitting it";
        }
        return "<" + name + "> is not a Plivo XML element" + caseHint(name);
    }

    /** Names are case-sensitive: point at the right spelling when only the case is wrong. */
    private static String caseHint(String name) {
        for (String known : ALLOWED_CHILDREN.keySet()) {
            if (known.equalsIgnoreCase(name) && !known.equals(name)) {
                return "; element names are case-sensitive: did you mean <" + known + ">?";
            }
        }
        return "";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Value rules
    // ---------------------------------------------------------------------------------------------------------------

    static ValueRule oneOf(String... allowedValues) {
        List<String> allowed = Arrays.asList(allowedValues);
        String description = allowed.stream().map(v -> v.isEmpty() ? "''" : v).reduce((a, b) -> a + ", " + b).orElse("");
        return value -> allowed.contains(value) ? null : "must be one of " + description;
    }

    static ValueRule integerAtLeast(long minimum) {
        return integerBetween(minimum, Long.MAX_VALUE);
    }

    /** A plain decimal integer (no sign, spaces or decimals: Plivo's examples never use them) within [min, max]. */
    static ValueRule integerBetween(long minimum, long maximum) {
        String range = maximum == Long.MAX_VALUE ? "an integer >= " + minimum : "an integer from " + minimum + " to " + maximum;
        return value -> {
            if (!value.matches("-?[0-9]{1,18}")) {
                return "must be " + range;
            }
            long number = Long.parseLong(value);
            return number < minimum || number > maximum ? "must be " + range : null;
        };
    }

    static ValueRule atMostChars(int maximum) {
        return value -> value.codePointCount(0, value.length()) > maximum ? "must be at most " + maximum + " characters" : null;
    }

    static ValueRule matching(String regex, String description) {
        Pattern pattern = Pattern.compile(regex);
        return value -> pattern.matcher(value).matches() ? null : "must be " + description;
    }

    /** Valid when any of the rules accepts the value. */
    static ValueRule anyOf(ValueRule... alternatives) {
        return value -> {
            List<String> problems = new ArrayList<>();
            for (ValueRule alternative : alternatives) {
                String problem = alternative.problem(value);
                if (problem == null) {
                    return null;
                }
                problems.add(problem.replaceFirst("^must be ", ""));
            }
            return "must be " + String.join(" or ", problems);
        };
    }

    /** Valid when every rule accepts the value; reports the first complaint. */
    static ValueRule allOf(ValueRule... rules) {
        return value -> {
            for (ValueRule rule : rules) {
                String problem = rule.problem(value);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        };
    }

    /** "Fully qualified" URLs: Plivo fetches them from its own servers, so a relative path means nothing there. */
    static String absoluteHttpUrlProblem(String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty()) {
                return null;
            }
        } catch (URISyntaxException e) {
            // fall through: not a URL at all
        }
        return "must be an absolute http(s) URL";
    }

    /** Polly: a pause of at most 10 seconds, written like 500ms or 2s. */
    static String breakTimeProblem(String value) {
        java.util.regex.Matcher matcher = Pattern.compile("([0-9]{1,6})(ms|s)").matcher(value);
        if (!matcher.matches()) {
            return "must be a duration such as 500ms or 2s";
        }
        long millis = Long.parseLong(matcher.group(1)) * ("s".equals(matcher.group(2)) ? 1000 : 1);
        return millis > 10_000 ? "must be at most 10s" : null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Parsing
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * DOM parse that refuses DOCTYPEs (hence entity tricks and external DTDs) and never fetches anything. Not
     * namespace-aware on purpose: Plivo XML has no namespaces, so {@code xml:lang} stays a plain attribute name and
     * any {@code xmlns} shows up as the unknown attribute it is. CDATA is merged into text.
     */
    static Document parseSecurely(String xml) throws SAXException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance(); // the JDK's own parser
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            factory.setCoalescing(true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(RAISE_ERRORS); // else the parser also prints "[Fatal Error] ..." to stderr
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("XML parser could not be set up", e);
        }
    }

    private static final ErrorHandler RAISE_ERRORS = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // warnings do not make a document invalid
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    static String describe(SAXException e) {
        if (e instanceof SAXParseException) {
            SAXParseException parseException = (SAXParseException) e;
            return "line " + parseException.getLineNumber() + ", column " + parseException.getColumnNumber() + ": " + e.getMessage();
        }
        return e.getMessage();
    }

    static List<Element> childElements(Element parent) {
        List<Element> children = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element) {
                children.add((Element) nodes.item(i));
            }
        }
        return children;
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }
}
