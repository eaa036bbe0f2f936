package io.ivrflow.plivo;

import com.plivo.api.exceptions.PlivoValidationException;
import com.plivo.api.exceptions.PlivoXmlException;
import com.plivo.api.xml.Break;
import com.plivo.api.xml.Conference;
import com.plivo.api.xml.Dial;
import com.plivo.api.xml.DialNestable;
import com.plivo.api.xml.Dtmf;
import com.plivo.api.xml.Emphasis;
import com.plivo.api.xml.GetDigits;
import com.plivo.api.xml.GetDigitsNestable;
import com.plivo.api.xml.GetInput;
import com.plivo.api.xml.GetInputNestable;
import com.plivo.api.xml.Hangup;
import com.plivo.api.xml.Lang;
import com.plivo.api.xml.P;
import com.plivo.api.xml.Phoneme;
import com.plivo.api.xml.Play;
import com.plivo.api.xml.PreAnswer;
import com.plivo.api.xml.PreAnswerNestable;
import com.plivo.api.xml.Prosody;
import com.plivo.api.xml.Redirect;
import com.plivo.api.xml.Response;
import com.plivo.api.xml.ResponseNestable;
import com.plivo.api.xml.S;
import com.plivo.api.xml.SayAs;
import com.plivo.api.xml.Speak;
import com.plivo.api.xml.Stream;
import com.plivo.api.xml.Sub;
import com.plivo.api.xml.User;
import com.plivo.api.xml.W;
import com.plivo.api.xml.Wait;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Map.entry;

/**
 * Cross-checks our Plivo XML against the official SDK (plivo-java 5.46.3, {@code com.plivo.api.xml}): {@link #express}
 * rebuilds a document with the SDK's builder classes and setters, which proves that every element and attribute we
 * emit is one the SDK knows; {@link #assertEquivalent} then compares our document with what the SDK marshals.
 *
 * <p>SDK quirks this works around (reference {@code plivo.md} §5):
 * <ul>
 *   <li>{@code toXmlString()} escapes nothing, in text or attributes, so every string is escaped here before it goes in;
 *       otherwise {@code Tom & Jerry} would come out as malformed XML.</li>
 *   <li>{@code new Speak(text)} always adds voice="WOMAN" language="en-US" loop="1" legs="aleg"; {@link #assertEquivalent}
 *       ignores those when our document leaves them out (they are Plivo's defaults, and legs is SDK-only).</li>
 *   <li>{@code Speak.voice()} checks Polly voices against an old static allow-list (see {@link #setSpeakVoice}).</li>
 *   <li>{@code Wait} implements {@code GetDigitsNestable}, so it compiles inside GetDigits and marshals as garbage
 *       ({@code <Speak xsi:type="wait" …/>} or {@code <Play …>}, varying between runs); the children each container
 *       really marshals are in {@link #SDK_MARSHALLED_CHILDREN}.</li>
 *   <li>{@code Number} and {@code Record} clash with {@code java.lang}; they are written fully qualified.</li>
 * </ul>
 */
public final class PlivoSdkXml {

    /**
     * The children each SDK container writes out properly: the names in its {@code @XmlElements} list. Its marker
     * interface can admit more (Wait is a GetDigitsNestable), but anything outside this list marshals as garbage.
     */
    static final Map<String, Set<String>> SDK_MARSHALLED_CHILDREN = Map.of(
            "Response", Set.of("Speak", "Play", "Wait", "GetDigits", "GetInput", "Dial", "Redirect", "Hangup", "Record",
                    "PreAnswer", "Conference", "DTMF", "Stream", "MultiPartyCall", "Message"),
            "GetDigits", Set.of("Speak", "Play"),
            "GetInput", Set.of("Speak", "Play", "Wait"),
            "PreAnswer", Set.of("Speak", "Play", "Wait"),
            "Dial", Set.of("Number", "User"));

    /** Attributes whose SDK setter is not named like the attribute. */
    static final Map<String, String> SETTER_NAMES = Map.of("relayDTMF", "relayDtmf");

    /** SSML attributes the SDK can only set through each tag's constructor. */
    static final Map<String, Set<String>> SSML_CONSTRUCTOR_ATTRIBUTES = Map.ofEntries(
            entry("break", Set.of("strength", "time")),
            entry("emphasis", Set.of("level")),
            entry("lang", Set.of("xml:lang")),
            entry("p", Set.of()),
            entry("s", Set.of()),
            entry("phoneme", Set.of("alphabet", "ph")),
            entry("prosody", Set.of("volume", "rate", "pitch")),
            entry("say-as", Set.of("interpret-as", "format")),
            entry("sub", Set.of("alias")),
            entry("w", Set.of("role")));

    /**
     * Attributes the SDK writes although our document left them out, with the only value for which that is harmless:
     * {@code new Speak(text)} sets them all, and they equal Plivo's defaults (legs is not in the XML docs at all).
     */
    static final Map<String, Map<String, String>> SDK_ADDED_DEFAULTS = Map.of(
            "Speak", Map.of("voice", "WOMAN", "language", "en-US", "loop", "1", "legs", "aleg"));

    private PlivoSdkXml() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Building the document with the SDK
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Rebuilds {@code xml} with the SDK's classes and returns what {@code Response.toXmlString()} makes of it.
     *
     * @throws AssertionError naming the element path and the reason when an element or attribute cannot be expressed
     *                        with the SDK (unknown to it, no setter, a value its setter cannot type, a child it cannot
     *                        marshal)
     */
    public static String express(String xml) {
        Element root = parse(xml, "our document").getDocumentElement();
        String rootPath = "/" + root.getTagName();
        if (!"Response".equals(root.getTagName())) {
            throw inexpressible(rootPath, "the SDK's documents are a com.plivo.api.xml.Response");
        }
        requireNoAttributes(root, rootPath);
        Response response = new Response();
        for (Child child : buildChildren(root, rootPath)) {
            try {
                response.children(as(ResponseNestable.class, child, "Response"));
            } catch (PlivoValidationException e) {
                throw inexpressible(child.path, "Response.children() rejected it: " + e.getMessage());
            }
        }
        try {
            return response.toXmlString();
        } catch (PlivoXmlException e) {
            throw new AssertionError("the SDK could not marshal " + rootPath + ": " + e.getMessage(), e);
        }
    }

    /** An SDK object built from one of our elements, with the element's name and path for messages. */
    private static final class Child {
        final String name;
        final String path;
        final Object sdkObject;

        Child(String name, String path, Object sdkObject) {
            this.name = name;
            this.path = path;
            this.sdkObject = sdkObject;
        }
    }

    private static List<Child> buildChildren(Element parent, String parentPath) {
        List<Child> children = new ArrayList<>();
        Set<String> marshalled = SDK_MARSHALLED_CHILDREN.getOrDefault(parent.getTagName(), Set.of());
        Map<String, Integer> seenByName = new HashMap<>();
        for (Element element : PlivoXmlRules.childElements(parent)) {
            String name = element.getTagName();
            String path = parentPath + "/" + name + "[" + seenByName.merge(name, 1, Integer::sum) + "]";
            if (!marshalled.contains(name)) {
                throw inexpressible(path, "the SDK's " + parent.getTagName() + " cannot marshal a <" + name + "> child"
                        + ("Wait".equals(name) && "GetDigits".equals(parent.getTagName())
                        ? " (Wait compiles there, being a GetDigitsNestable, but comes out as <Speak xsi:type=\"wait\"> or <Play xsi:type=\"wait\">)" : "")
                        + "; it marshals " + sorted(marshalled));
            }
            children.add(new Child(name, path, buildElement(element, path)));
        }
        return children;
    }

    private static Object buildElement(Element element, String path) {
        String name = element.getTagName();
        switch (name) {
            case "Speak":
                return buildSpeak(element, path);
            case "Play":
                return withAttributes(new Play(leafText(element, path)), element, path);
            case "Wait":
                requireNoBody(element, path);
                return withAttributes(new Wait(), element, path);
            case "GetDigits": {
                requireNoText(element, path);
                GetDigits getDigits = withAttributes(new GetDigits(), element, path);
                for (Child child : buildChildren(element, path)) {
                    getDigits.children(as(GetDigitsNestable.class, child, name));
                }
                return getDigits;
            }
            case "GetInput": {
                requireNoText(element, path);
                GetInput getInput = withAttributes(new GetInput(), element, path);
                for (Child child : buildChildren(element, path)) {
                    getInput.children(as(GetInputNestable.class, child, name));
                }
                return getInput;
            }
            case "PreAnswer": {
                requireNoText(element, path);
                requireNoAttributes(element, path);
                PreAnswer preAnswer = new PreAnswer();
                for (Child child : buildChildren(element, path)) {
                    preAnswer.children(as(PreAnswerNestable.class, child, name));
                }
                return preAnswer;
            }
            case "Dial": {
                requireNoText(element, path);
                Dial dial = withAttributes(new Dial(), element, path);
                for (Child child : buildChildren(element, path)) {
                    dial.children(as(DialNestable.class, child, name));
                }
                return dial;
            }
            case "Number":
                return withAttributes(new com.plivo.api.xml.Number(leafText(element, path)), element, path);
            case "User":
                return withAttributes(new User(leafText(element, path)), element, path);
            case "Redirect":
                return withAttributes(new Redirect(leafText(element, path)), element, path);
            case "Hangup":
                requireNoBody(element, path);
                return withAttributes(new Hangup(), element, path);
            case "Record": {
                requireNoBody(element, path);
                // The SDK takes action through the constructor only; null leaves the attribute out.
                String action = element.hasAttribute("action") ? escape(element.getAttribute("action")) : null;
                return withAttributes(new com.plivo.api.xml.Record(action), element, path, "action");
            }
            case "Conference":
                return withAttributes(new Conference(leafText(element, path)), element, path);
            case "DTMF":
                return withAttributes(new Dtmf(leafText(element, path)), element, path);
            case "Stream":
                return withAttributes(new Stream(leafText(element, path)), element, path);
            default:
                throw inexpressible(path, "PlivoSdkXml does not build <" + name + "> with the SDK");
        }
    }

    private static Speak buildSpeak(Element element, String path) {
        List<Object> content = mixedContent(element, path);
        Speak speak = new Speak(leadingText(content));
        // language() before the voice: with the constructor's voice still WOMAN, language() validates nothing.
        withAttributes(speak, element, path, "voice");
        if (element.hasAttribute("voice")) {
            setSpeakVoice(speak, element.getAttribute("voice"), path);
        }
        try {
            speak.children(content.toArray());
        } catch (PlivoXmlException e) {
            throw inexpressible(path, e.getMessage());
        }
        return speak;
    }

    /**
     * MAN and WOMAN go through {@code Speak.voice()}. A Polly voice is written into the private field instead, because
     * {@code voice()} checks it against {@code Utils.getLanguageVoices}, a static list from years ago (es-US has only
     * Penélope and Miguel, so the real es-US voice Polly.Lupe throws), and whether it checks at all depends on static
     * flags that any earlier Speak in the JVM may have set. What we prove here is that the attribute is expressible;
     * whether the voice exists is for {@link PlivoXmlRules} and Plivo to judge, not a frozen SDK table.
     */
    static void setSpeakVoice(Speak speak, String voice, String path) {
        if (voice.equals("MAN") || voice.equals("WOMAN")) {
            try {
                speak.voice(voice);
            } catch (PlivoXmlException e) {
                throw inexpressible(path, "Speak.voice(\"" + voice + "\") failed: " + e.getMessage());
            }
            return;
        }
        try {
            Field field = Speak.class.getDeclaredField("voice");
            field.setAccessible(true);
            field.set(speak, escape(voice));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("plivo-java changed: Speak has no private field 'voice' to set " + voice + " on", e);
        }
    }

    /** Text and SSML of a Speak or SSML container, in document order, as the SDK's children(Object...) takes them. */
    private static List<Object> mixedContent(Element element, String path) {
        List<Object> content = new ArrayList<>();
        Map<String, Integer> seenByName = new HashMap<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                content.add(escape(node.getNodeValue()));
            } else if (node instanceof Element) {
                Element child = (Element) node;
                String name = child.getTagName();
                String childPath = path + "/" + name + "[" + seenByName.merge(name, 1, Integer::sum) + "]";
                content.add(buildSsml(child, childPath));
            }
        }
        return content;
    }

    /**
     * Takes the text the content starts with, for the constructor that insists on some. Passing "" and the text as a
     * second item would not do: JAXB writes a space between two strings next to each other in mixed content.
     */
    private static String leadingText(List<Object> content) {
        return !content.isEmpty() && content.get(0) instanceof String ? (String) content.remove(0) : "";
    }

    /** The mixed content that follows the leading text, for children(Object...). */
    private static Object[] rest(List<Object> content) {
        return content.toArray();
    }

    /** The SSML classes take their attributes through constructors only, so each tag is built by hand. */
    private static Object buildSsml(Element element, String path) {
        String name = element.getTagName();
        Set<String> settable = SSML_CONSTRUCTOR_ATTRIBUTES.get(name);
        if (settable == null) {
            throw inexpressible(path, "the SDK has no SSML class for <" + name + ">");
        }
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            String attributeName = attributes.item(i).getNodeName();
            if (!settable.contains(attributeName)) {
                throw inexpressible(path, "the SDK's <" + name + "> cannot carry attribute " + attributeName
                        + " (its constructors take " + sorted(settable) + ")");
            }
        }
        try {
            switch (name) {
                case "break":
                    requireNoBody(element, path);
                    return new Break(optional(element, "strength"), optional(element, "time"));
                case "emphasis": {
                    List<Object> content = mixedContent(element, path);
                    return new Emphasis(leadingText(content), optional(element, "level")).children(rest(content));
                }
                case "lang": {
                    List<Object> content = mixedContent(element, path);
                    return new Lang(leadingText(content), optional(element, "xml:lang")).children(rest(content));
                }
                case "p": {
                    List<Object> content = mixedContent(element, path);
                    return new P(leadingText(content)).children(rest(content));
                }
                case "s": {
                    List<Object> content = mixedContent(element, path);
                    return new S(leadingText(content)).children(rest(content));
                }
                case "w": {
                    List<Object> content = mixedContent(element, path);
                    return new W(leadingText(content), optional(element, "role")).children(rest(content));
                }
                case "prosody": {
                    List<Object> content = mixedContent(element, path);
                    return new Prosody(leadingText(content), optional(element, "volume"), optional(element, "rate"),
                            optional(element, "pitch")).children(rest(content));
                }
                case "phoneme":
                    return new Phoneme(leafText(element, path), optional(element, "alphabet"), optional(element, "ph"));
                case "say-as":
                    return new SayAs(leafText(element, path), optional(element, "interpret-as"), optional(element, "format"));
                case "sub":
                    return new Sub(leafText(element, path), optional(element, "alias"));
                default:
                    throw inexpressible(path, "the SDK has no SSML class for <" + name + ">");
            }
        } catch (PlivoXmlException e) {
            throw inexpressible(path, e.getMessage());
        }
    }

    /**
     * Sets every attribute of {@code element} (except those in {@code handledElsewhere}) through the SDK setter of the
     * same name, typed as the setter wants it: String, Integer or Boolean.
     */
    private static <T> T withAttributes(T sdkObject, Element element, String path, String... handledElsewhere) {
        Set<String> skip = Set.of(handledElsewhere);
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            if (!skip.contains(attribute.getName())) {
                callSetter(sdkObject, attribute.getName(), attribute.getValue(), path);
            }
        }
        return sdkObject;
    }

    private static void callSetter(Object sdkObject, String attribute, String value, String path) {
        String setterName = SETTER_NAMES.getOrDefault(attribute, attribute);
        Method setter = null;
        for (Method method : sdkObject.getClass().getMethods()) {
            if (method.getName().equals(setterName) && method.getParameterCount() == 1
                    && Set.of(String.class, Integer.class, Boolean.class).contains(method.getParameterTypes()[0])) {
                setter = method;
            }
        }
        String className = sdkObject.getClass().getName();
        if (setter == null) {
            throw inexpressible(path, className + " has no setter for attribute " + attribute);
        }
        Object argument = typed(value, setter.getParameterTypes()[0], path, className + "." + setterName);
        try {
            setter.invoke(sdkObject, argument);
        } catch (InvocationTargetException e) {
            throw inexpressible(path, className + "." + setterName + "(" + value + ") threw " + e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError("cannot call " + className + "." + setterName, e);
        }
    }

    private static Object typed(String value, Class<?> type, String path, String setter) {
        if (type == Integer.class) {
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw inexpressible(path, setter + " takes an Integer; \"" + value + "\" is not one");
            }
        }
        if (type == Boolean.class) {
            if (!value.equals("true") && !value.equals("false")) {
                throw inexpressible(path, setter + " takes a Boolean; \"" + value + "\" is not true or false");
            }
            return Boolean.valueOf(value);
        }
        return escape(value);
    }

    /** Casts a built child to the marker interface its SDK parent takes; the SDK checks nesting this way at compile time. */
    private static <T> T as(Class<T> nestable, Child child, String parentName) {
        if (!nestable.isInstance(child.sdkObject)) {
            throw inexpressible(child.path, "the SDK's " + child.sdkObject.getClass().getSimpleName() + " is not a "
                    + nestable.getSimpleName() + ", so it cannot go inside " + parentName);
        }
        return nestable.cast(child.sdkObject);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Comparing
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Asserts that the SDK's rendering means the same as ours: same element tree, same attributes with the same values,
     * same text. Whitespace differences are ignored (the SDK puts a newline before every element, even inside Speak),
     * as are the attributes in {@link #SDK_ADDED_DEFAULTS} when ours leaves them out. Escaping is compared after
     * parsing, so {@code &amp;} and a CDATA section mean the same.
     */
    public static void assertEquivalent(String ours, String sdk) {
        Element ourRoot = parse(ours, "our document").getDocumentElement();
        Element sdkRoot = parse(sdk, "the SDK's output (the SDK escapes nothing)").getDocumentElement();
        compare(ourRoot, sdkRoot, "/" + ourRoot.getTagName());
    }

    private static void compare(Element ours, Element sdk, String path) {
        if (!ours.getTagName().equals(sdk.getTagName())) {
            throw new AssertionError(path + ": we have <" + ours.getTagName() + ">, the SDK has <" + sdk.getTagName() + ">");
        }
        compareAttributes(ours, sdk, path);
        List<Object> ourContent = normalizedContent(ours);
        List<Object> sdkContent = normalizedContent(sdk);
        Map<String, Integer> seenByName = new HashMap<>();
        for (int i = 0; i < Math.max(ourContent.size(), sdkContent.size()); i++) {
            Object ourItem = i < ourContent.size() ? ourContent.get(i) : null;
            Object sdkItem = i < sdkContent.size() ? sdkContent.get(i) : null;
            if (ourItem instanceof Element && sdkItem instanceof Element) {
                String name = ((Element) ourItem).getTagName();
                compare((Element) ourItem, (Element) sdkItem, path + "/" + name + "[" + seenByName.merge(name, 1, Integer::sum) + "]");
            } else if (ourItem == null || !ourItem.equals(sdkItem)) {
                throw new AssertionError(path + ": content item " + (i + 1) + " differs: we have " + describe(ourItem)
                        + ", the SDK has " + describe(sdkItem));
            }
        }
    }

    private static void compareAttributes(Element ours, Element sdk, String path) {
        Map<String, String> ignorable = SDK_ADDED_DEFAULTS.getOrDefault(ours.getTagName(), Map.of());
        Map<String, String> ourAttributes = attributes(ours);
        Map<String, String> sdkAttributes = attributes(sdk);
        for (Map.Entry<String, String> ourAttribute : ourAttributes.entrySet()) {
            String sdkValue = sdkAttributes.get(ourAttribute.getKey());
            if (!ourAttribute.getValue().equals(sdkValue)) {
                throw new AssertionError(path + ": attribute " + ourAttribute.getKey() + " is \"" + ourAttribute.getValue()
                        + "\" in ours but " + (sdkValue == null ? "missing" : "\"" + sdkValue + "\"") + " in the SDK's");
            }
        }
        for (Map.Entry<String, String> sdkAttribute : sdkAttributes.entrySet()) {
            String name = sdkAttribute.getKey();
            if (!ourAttributes.containsKey(name) && !sdkAttribute.getValue().equals(ignorable.get(name))) {
                throw new AssertionError(path + ": the SDK adds " + name + "=\"" + sdkAttribute.getValue()
                        + "\", which ours does not have" + (ignorable.containsKey(name)
                        ? " (only " + name + "=\"" + ignorable.get(name) + "\" is an ignorable default)" : ""));
            }
        }
    }

    private static Map<String, String> attributes(Element element) {
        Map<String, String> attributes = new HashMap<>();
        NamedNodeMap nodes = element.getAttributes();
        for (int i = 0; i < nodes.getLength(); i++) {
            attributes.put(nodes.item(i).getNodeName(), nodes.item(i).getNodeValue());
        }
        return attributes;
    }

    /** Child elements and text runs in order; each text run has its whitespace collapsed and trimmed, empty ones dropped. */
    private static List<Object> normalizedContent(Element element) {
        List<Object> content = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(node.getNodeValue());
            } else if (node instanceof Element) {
                addText(content, text);
                content.add(node);
            }
        }
        addText(content, text);
        return content;
    }

    private static void addText(List<Object> content, StringBuilder text) {
        String normalized = text.toString().replaceAll("\\s+", " ").trim();
        if (!normalized.isEmpty()) {
            content.add(normalized);
        }
        text.setLength(0);
    }

    private static String describe(Object item) {
        if (item == null) {
            return "nothing";
        }
        return item instanceof Element ? "<" + ((Element) item).getTagName() + ">" : "text \"" + item + "\"";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    private static Document parse(String xml, String what) {
        try {
            return PlivoXmlRules.parseSecurely(xml);
        } catch (SAXException e) {
            throw new AssertionError(what + " is not well-formed XML: " + PlivoXmlRules.describe(e) + "\n" + xml, e);
        }
    }

    /** The SDK writes strings raw (JaxbCharacterEscapeHandler), so they go in already escaped. */
    static String escape(String raw) {
        return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The trimmed, escaped text of an element that must hold text only. */
    private static String leafText(Element element, String path) {
        if (!PlivoXmlRules.childElements(element).isEmpty()) {
            throw inexpressible(path, "the SDK's <" + element.getTagName() + "> holds text only, not child elements");
        }
        return escape(element.getTextContent().trim());
    }

    private static String optional(Element element, String attribute) {
        return element.hasAttribute(attribute) ? escape(element.getAttribute(attribute)) : null;
    }

    private static void requireNoText(Element element, String path) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            boolean isText = node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE;
            if (isText && !node.getNodeValue().isBlank()) {
                throw inexpressible(path, "the SDK's <" + element.getTagName() + "> cannot hold text");
            }
        }
    }

    private static void requireNoBody(Element element, String path) {
        requireNoText(element, path);
        if (!PlivoXmlRules.childElements(element).isEmpty()) {
            throw inexpressible(path, "the SDK's <" + element.getTagName() + "> cannot hold child elements");
        }
    }

    private static void requireNoAttributes(Element element, String path) {
        if (element.getAttributes().getLength() > 0) {
            throw inexpressible(path, "the SDK's <" + element.getTagName() + "> has no attributes, found "
                    + element.getAttributes().item(0).getNodeName());
        }
    }

    private static AssertionError inexpressible(String path, String reason) {
        return new AssertionError("cannot express " + path + " with plivo-java: " + reason);
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }
}
