package io.ivrflow.plivo;

import com.plivo.api.util.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V3 signatures: Plivo's published vectors (plivo-go utils_test.go), agreement with plivo-java 5.46.3
 * ({@link Utils#computeSignatureV3}) where that SDK is right, and the header handling of {@link PlivoSignature#valid}.
 */
class PlivoSignatureTest {

    static final String TOKEN = "Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4";
    static final String MAIN_ACCOUNT_TOKEN = "TWFpbkFjY291bnRUb2tlbkZvclRlc3RzT25seQ00";
    static final String NONCE = "31627761595286130198";
    static final String VECTOR_URL = "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml";
    static final String VECTOR_URL_WITH_QUERY = VECTOR_URL + "/?a=b&c=d";

    /** The outbound answer-URL payload of plivo-go's TestValidateSignatureV3Pass1..4. */
    static final Map<String, String> VECTOR_PARAMS = vectorParams();

    static Map<String, String> vectorParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Direction", "outbound");
        params.put("From", "19792014278");
        params.put("ALegUUID", "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36");
        params.put("CallStatus", "in-progress");
        params.put("BillRate", "0.002");
        params.put("ParentAuthID", "MANWVLYTK4ZWU1YTY4QA");
        params.put("To", "sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com");
        params.put("ALegRequestUUID", "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36");
        params.put("CallUUID", "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36");
        params.put("RequestUUID", "3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36");
        params.put("SIP-H-To", "<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1");
        params.put("SessionStart", "2020-04-08 11:34:33.238707");
        params.put("Event", "StartApp");
        return params;
    }

    /** The vector parameters in code point order of their keys, as {@code k=v&…} and as {@code kv…}. */
    static final String VECTOR_AS_QUERY = "ALegRequestUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "&ALegUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "&BillRate=0.002"
            + "&CallStatus=in-progress"
            + "&CallUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "&Direction=outbound"
            + "&Event=StartApp"
            + "&From=19792014278"
            + "&ParentAuthID=MANWVLYTK4ZWU1YTY4QA"
            + "&RequestUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "&SIP-H-To=<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1"
            + "&SessionStart=2020-04-08 11:34:33.238707"
            + "&To=sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com";
    static final String VECTOR_AS_BODY = "ALegRequestUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "ALegUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "BillRate0.002"
            + "CallStatusin-progress"
            + "CallUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "Directionoutbound"
            + "EventStartApp"
            + "From19792014278"
            + "ParentAuthIDMANWVLYTK4ZWU1YTY4QA"
            + "RequestUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"
            + "SIP-H-To<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1"
            + "SessionStart2020-04-08 11:34:33.238707"
            + "Tosip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com";

    final PlivoSignature accountOnly = new PlivoSignature(List.of(TOKEN));

    // ---------------------------------------------------------------------------------------------------------
    // Plivo's vectors

    @Test
    void postWithQueryVectorGivesTheDocumentedBaseStringAndSignature() {
        Map<String, List<String>> body = multi(VECTOR_PARAMS);
        assertEquals(VECTOR_URL + "/?a=b&c=d." + VECTOR_AS_BODY, PlivoSignature.baseString(VECTOR_URL_WITH_QUERY, "POST", body));
        assertEquals("k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=",
                PlivoSignature.compute(TOKEN, VECTOR_URL_WITH_QUERY, "POST", body, NONCE));
    }

    @Test
    void getWithQueryVectorGivesTheDocumentedBaseStringAndSignature() {
        // For GET Plivo appends its parameters to the query we configured ("a=b&c=d").
        String called = withEncodedQuery(VECTOR_URL_WITH_QUERY, VECTOR_PARAMS);
        // Decoded, unescaped ('<', '>', ';', ' ' as they are), "a" and "c" sorted after the upper-case keys.
        assertEquals(VECTOR_URL + "/?" + VECTOR_AS_QUERY + "&a=b&c=d", PlivoSignature.baseString(called, "GET", null));
        assertEquals("UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ=",
                PlivoSignature.compute(TOKEN, called, "GET", null, NONCE));
    }

    @Test
    void postWithoutQueryVectorGivesTheDocumentedBaseStringAndSignature() {
        Map<String, List<String>> body = multi(VECTOR_PARAMS);
        assertEquals(VECTOR_URL + "?" + VECTOR_AS_BODY, PlivoSignature.baseString(VECTOR_URL, "POST", body));
        assertEquals("iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=",
                PlivoSignature.compute(TOKEN, VECTOR_URL, "POST", body, NONCE));
    }

    @Test
    void getWithoutQueryVectorGivesTheDocumentedBaseStringAndSignature() {
        String called = withEncodedQuery(VECTOR_URL, VECTOR_PARAMS);
        assertEquals(VECTOR_URL + "?" + VECTOR_AS_QUERY, PlivoSignature.baseString(called, "GET", null));
        assertEquals("i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc=",
                PlivoSignature.compute(TOKEN, called, "GET", null, NONCE));
    }

    @Test
    void validAcceptsEachVectorAndNothingElse() {
        String getCalled = withEncodedQuery(VECTOR_URL_WITH_QUERY, VECTOR_PARAMS);
        Map<String, List<String>> body = multi(VECTOR_PARAMS);
        assertTrue(accountOnly.valid(getCalled, "GET", null, NONCE, "UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ=", null));
        assertTrue(accountOnly.valid(VECTOR_URL_WITH_QUERY, "POST", body, NONCE, "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=", null));
        // the GET signature is not valid for the POST request, nor the reverse
        assertFalse(accountOnly.valid(VECTOR_URL_WITH_QUERY, "POST", body, NONCE, "UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ=", null));
        assertFalse(accountOnly.valid(getCalled, "GET", null, NONCE, "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=", null));
    }

    @Test
    void methodIsCaseInsensitive() {
        String called = withEncodedQuery(VECTOR_URL, VECTOR_PARAMS);
        assertEquals("i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc=", PlivoSignature.compute(TOKEN, called, "get", null, NONCE));
        assertEquals("iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=",
                PlivoSignature.compute(TOKEN, VECTOR_URL, "Post", multi(VECTOR_PARAMS), NONCE));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Agreement with plivo-java

    @Test
    void sdkAgreesOnTheFourVectors() throws Exception {
        Map<String, List<String>> body = multi(VECTOR_PARAMS);
        String ours = PlivoSignature.compute(TOKEN, VECTOR_URL_WITH_QUERY, "POST", body, NONCE);
        assertEquals(sdkSignature(VECTOR_URL_WITH_QUERY, "POST", VECTOR_PARAMS), ours);
        assertTrue(sdkValid(VECTOR_URL_WITH_QUERY, NONCE, ours, "POST", VECTOR_PARAMS));

        ours = PlivoSignature.compute(TOKEN, VECTOR_URL, "POST", body, NONCE);
        assertEquals(sdkSignature(VECTOR_URL, "POST", VECTOR_PARAMS), ours);
        assertTrue(sdkValid(VECTOR_URL, NONCE, ours, "POST", VECTOR_PARAMS));

        // GET: the SDK takes the configured URL plus a map; we take the URL Plivo called. The SDK also accepts
        // the called URL with an empty map when no value holds an encoded '&' (it decodes the whole URL first).
        for (String configured : List.of(VECTOR_URL_WITH_QUERY, VECTOR_URL)) {
            String called = withEncodedQuery(configured, VECTOR_PARAMS);
            ours = PlivoSignature.compute(TOKEN, called, "GET", null, NONCE);
            assertEquals(sdkSignature(configured, "GET", VECTOR_PARAMS), ours, configured);
            assertEquals(sdkSignature(called, "GET", Map.of()), ours, configured);
            assertTrue(sdkValid(configured, NONCE, ours, "GET", VECTOR_PARAMS));
        }
    }

    @Test
    void sdkAgreesOnValuesWithSpacesAmpersandsEqualsPlusAndUnicode() throws Exception {
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("Digits", "1 2 3");
        awkward.put("CallerName", "Tom & Jerry");
        awkward.put("Expr", "a=b=c");
        awkward.put("From", "+33123456789");
        awkward.put("Greeting", "Grüß Gott, 你好 😀");
        awkward.put("Percent", "100%25 sure%");
        awkward.put("Empty", "");
        awkward.put("Dots", "end.");
        for (String configured : List.of("https://ivr.example.com/plivo/answer",
                "https://ivr.example.com/plivo/answer?flow=main+menu&lang=fr-CA&greeting=caf%C3%A9")) {
            assertEquals(sdkSignature(configured, "POST", awkward),
                    PlivoSignature.compute(TOKEN, configured, "POST", multi(awkward), NONCE), "POST " + configured);
            assertEquals(sdkSignature(configured, "GET", awkward),
                    PlivoSignature.compute(TOKEN, withEncodedQuery(configured, awkward), "GET", null, NONCE), "GET " + configured);
        }
    }

    @Test
    void sdkAgreesOnGeneratedParameterSets() throws Exception {
        Random random = new Random(20_240_608L);
        // No explicit port: plivo-java drops it, py/go/node (and we) keep it.
        List<String> configuredUrls = List.of(
                "https://ivr.example.com/plivo/answer",
                "https://ivr.example.com/plivo/answer/?lang=en",
                "http://ivr.example.com/hook?flow=main+menu&lang=fr-CA&greeting=caf%C3%A9");
        Set<String> configuredKeys = Set.of("lang", "flow", "greeting");
        int checked = 0;
        for (int round = 0; round < 60; round++) {
            Map<String, String> params = randomParams(random, configuredKeys);
            String configured = configuredUrls.get(round % configuredUrls.size());
            String nonce = Long.toUnsignedString(random.nextLong());
            String label = "round " + round + " " + params;

            String post = PlivoSignature.compute(TOKEN, configured, "POST", multi(params), nonce);
            assertEquals(Utils.computeSignatureV3(configured, nonce, TOKEN, "POST", new HashMap<>(params)), post, label);
            assertTrue(sdkValid(configured, nonce, post, "POST", params), label);

            String get = PlivoSignature.compute(TOKEN, withEncodedQuery(configured, params), "GET", null, nonce);
            assertEquals(Utils.computeSignatureV3(configured, nonce, TOKEN, "GET", new HashMap<>(params)), get, label);
            assertNotEquals(post, get, label);
            checked++;
        }
        assertEquals(60, checked);
    }

    @Test
    void sdkDiffersOnlyAsDocumentedWhenThereAreNoParameters() throws Exception {
        String bare = "https://ivr.example.com/plivo/hangup";
        // py/node sign "base" when there is neither query nor body; plivo-java signs "base?".
        assertEquals(bare, PlivoSignature.baseString(bare, "POST", Map.of()));
        assertEquals(hmac(TOKEN, bare + "?." + NONCE), sdkSignature(bare, "POST", Map.of()));
        assertNotEquals(sdkSignature(bare, "POST", Map.of()), PlivoSignature.compute(TOKEN, bare, "POST", Map.of(), NONCE));

        // A query and an empty body: py/node sign "base?q", plivo-java "base?q." (its replace(".$", "") is literal).
        String withQuery = bare + "?lang=en";
        assertEquals(bare + "?lang=en", PlivoSignature.baseString(withQuery, "POST", null));
        assertEquals(bare + "?lang=en.", Utils.generateUrl(withQuery, "POST", new HashMap<>()));

        // A GET without any parameter: plivo-java cannot sign it at all.
        assertEquals(bare, PlivoSignature.baseString(bare, "GET", null));
        assertThrows(StringIndexOutOfBoundsException.class, () -> Utils.generateUrl(bare, "GET", new HashMap<>()));
    }

    @Test
    void sdkTreatsAGetMethodThatIsNotTheInternedLiteralAsPost() throws Exception {
        String called = withEncodedQuery(VECTOR_URL, VECTOR_PARAMS);
        String ours = PlivoSignature.compute(TOKEN, called, new String("GET"), null, NONCE);
        assertEquals("i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc=", ours);
        assertFalse(sdkValid(VECTOR_URL, NONCE, ours, new String("GET"), VECTOR_PARAMS));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Base string rules

    @Test
    void explicitNonDefaultPortIsKeptAndTheFragmentDropped() throws Exception {
        String url = "https://ivr.example.com:8443/plivo/answer?lang=en#ct=2000&rt=5000";
        assertEquals("https://ivr.example.com:8443/plivo/answer?lang=en", PlivoSignature.baseString(url, "GET", null));
        // plivo-java drops the port (py/go/node keep it), so the two sign different strings here.
        assertEquals("https://ivr.example.com/plivo/answer?lang=en", Utils.generateUrl(url, "GET", new HashMap<>()));
        assertNotEquals(PlivoSignature.compute(TOKEN, url, "GET", null, NONCE),
                PlivoSignature.compute(TOKEN, "https://ivr.example.com/plivo/answer?lang=en", "GET", null, NONCE));
    }

    @Test
    void percentEncodedQueryParametersAreDecodedBeforeSigning() {
        String url = "https://ivr.example.com/answer?Caller%20Name=J%C3%BCrgen+M%C3%BCller&Expr=a%26b%3Dc&Plus=%2B1";
        assertEquals("https://ivr.example.com/answer?Caller Name=Jürgen Müller&Expr=a&b=c&Plus=+1",
                PlivoSignature.baseString(url, "GET", null));
        // Encoded differently (%20 for the space, lower-case hex), the same parameters sign the same.
        String sameParams = "https://ivr.example.com/answer?Plus=%2b1&Expr=a%26b%3dc&Caller+Name=J%c3%bcrgen%20M%c3%bcller";
        assertEquals(PlivoSignature.compute(TOKEN, url, "GET", null, NONCE),
                PlivoSignature.compute(TOKEN, sameParams, "GET", null, NONCE));
    }

    @Test
    void postSectionsAreJoinedAsDocumented() {
        String base = "https://ivr.example.com/answer";
        Map<String, List<String>> body = Map.of("To", List.of("+15550001"), "From", List.of("+15550002"));
        assertEquals(base, PlivoSignature.baseString(base, "POST", null));
        assertEquals(base, PlivoSignature.baseString(base + "?", "POST", Map.of()));
        assertEquals(base + "?From+15550002To+15550001", PlivoSignature.baseString(base, "POST", body));
        assertEquals(base + "?b=2&z=1", PlivoSignature.baseString(base + "?z=1&b=2", "POST", null));
        assertEquals(base + "?b=2&z=1.From+15550002To+15550001", PlivoSignature.baseString(base + "?z=1&b=2", "POST", body));
        // query keys without '=' have an empty value, empty pairs are skipped
        assertEquals(base + "?flag=&z=1", PlivoSignature.baseString(base + "?z=1&&flag", "POST", null));
    }

    @Test
    void everyValueOfARepeatedKeyIsSignedInSortedOrder() {
        String base = "https://ivr.example.com/answer";
        assertEquals(base + "?k=a&k=b&k=c&x=1", PlivoSignature.baseString(base + "?x=1&k=c&k=a&k=b", "GET", null));
        assertEquals(base + "?kakbkc", PlivoSignature.baseString(base, "POST", Map.of("k", List.of("c", "a", "b"))));
    }

    @Test
    void keysAreSortedByCodePointNotByUtf16Unit() {
        // U+FF21 (fullwidth A) is one UTF-16 unit above the surrogates of U+1F600; as code points it comes first.
        Map<String, List<String>> body = new LinkedHashMap<>();
        body.put("😀", List.of("1"));
        body.put("Ａ", List.of("2"));
        body.put("B", List.of("3"));
        assertEquals("https://h.example/p?B3Ａ2😀1", PlivoSignature.baseString("https://h.example/p", "POST", body));
    }

    @Test
    void getParametersGivenBesideTheQueryAreMergedWithTheQueryWinning() {
        String url = "https://ivr.example.com/answer?lang=en&Digits=1";
        Map<String, List<String>> alsoGiven = Map.of("Digits", List.of("1"), "Event", List.of("Redirect"));
        // Passing the query's parameters again does not repeat them; a key only given here is added.
        assertEquals("https://ivr.example.com/answer?Digits=1&Event=Redirect&lang=en",
                PlivoSignature.baseString(url, "GET", alsoGiven));
    }

    @Test
    void schemeIsLowerCasedLikeTheSdksDo() {
        assertEquals("https://ivr.example.com/answer", PlivoSignature.baseString("HTTPS://ivr.example.com/answer", "POST", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ivr.example.com/answer", "https:///answer", "://ivr.example.com/answer"})
    void urlWithoutSchemeOrHostIsRejected(String url) {
        assertThrows(IllegalArgumentException.class, () -> PlivoSignature.baseString(url, "POST", null));
        String signature = PlivoSignature.compute(TOKEN, "https://ivr.example.com/answer", "POST", null, NONCE);
        assertFalse(accountOnly.valid(url, "POST", null, NONCE, signature, null));
    }

    @Test
    void unknownMethodIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PlivoSignature.baseString("https://h.example/p", "PUT", null));
        String signature = PlivoSignature.compute(TOKEN, "https://h.example/p", "POST", null, NONCE);
        assertTrue(accountOnly.valid("https://h.example/p", "POST", null, NONCE, signature, null));
        assertFalse(accountOnly.valid("https://h.example/p", "PUT", null, NONCE, signature, null));
    }

    // ---------------------------------------------------------------------------------------------------------
    // valid(): headers, tokens, tampering

    static final String ANSWER_URL = "https://ivr.example.com/plivo/answer?flow=main";
    static final Map<String, List<String>> ANSWER_BODY = Map.of(
            "CallUUID", List.of("3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36"),
            "From", List.of("+33123456789"),
            "Digits", List.of("42"));

    static String answerSignature(String token) {
        return PlivoSignature.compute(token, ANSWER_URL, "POST", ANSWER_BODY, NONCE);
    }

    @Test
    void anyOfSeveralCommaSeparatedSignaturesMatches() {
        String good = answerSignature(TOKEN);
        String other = answerSignature("some-rotated-out-token");
        assertTrue(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, other + ", " + good, null));
        assertTrue(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, " " + good + " ,  " + other + ",", null));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, other + ", " + other, null));
        // A signature glued to another without a comma is not an entry of its own.
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, other + " " + good, null));
    }

    @Test
    void matchOnMaV3AloneIsEnough() {
        PlivoSignature subaccountAndMain = new PlivoSignature(List.of(TOKEN, MAIN_ACCOUNT_TOKEN));
        String v3ByAnotherToken = answerSignature("not-a-configured-token");
        String maV3 = answerSignature(MAIN_ACCOUNT_TOKEN);
        assertTrue(subaccountAndMain.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, v3ByAnotherToken, maV3));
        assertTrue(subaccountAndMain.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, null, maV3));
        assertFalse(subaccountAndMain.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, v3ByAnotherToken, null));
        // the main token's signature is useless to an instance that is not configured with that token
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, v3ByAnotherToken, maV3));
    }

    @Test
    void signatureMadeWithTheSecondConfiguredTokenMatches() {
        PlivoSignature rotating = new PlivoSignature(List.of("old-token-being-rotated-out", TOKEN));
        assertTrue(rotating.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, answerSignature(TOKEN), null));
        assertTrue(rotating.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, answerSignature("old-token-being-rotated-out"), null));
        assertFalse(rotating.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, answerSignature("a-third-token"), null));
    }

    @Test
    void tamperedRequestIsRejected() {
        String signature = answerSignature(TOKEN);
        assertTrue(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, signature, null));

        Map<String, List<String>> otherDigits = new HashMap<>(ANSWER_BODY);
        otherDigits.put("Digits", List.of("43"));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", otherDigits, NONCE, signature, null), "parameter value");
        Map<String, List<String>> extra = new HashMap<>(ANSWER_BODY);
        extra.put("Extra", List.of(""));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", extra, NONCE, signature, null), "added parameter");
        Map<String, List<String>> repeated = new HashMap<>(ANSWER_BODY);
        repeated.put("Digits", List.of("42", "42"));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", repeated, NONCE, signature, null), "repeated value");

        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, "31627761595286130199", signature, null), "nonce");
        assertFalse(accountOnly.valid(ANSWER_URL.replace("flow=main", "flow=admin"), "POST", ANSWER_BODY, NONCE, signature, null), "query");
        assertFalse(accountOnly.valid(ANSWER_URL.replace("/answer", "/hangup"), "POST", ANSWER_BODY, NONCE, signature, null), "path");
        assertFalse(accountOnly.valid(ANSWER_URL.replace("ivr.", "evil."), "POST", ANSWER_BODY, NONCE, signature, null), "host");
        assertFalse(accountOnly.valid(ANSWER_URL.replace("https:", "http:"), "POST", ANSWER_BODY, NONCE, signature, null), "scheme");
        assertFalse(accountOnly.valid(ANSWER_URL.replace(".com/", ".com:8443/"), "POST", ANSWER_BODY, NONCE, signature, null), "port");

        // one flipped character of the signature itself
        char last = signature.charAt(signature.length() - 2);
        String flipped = signature.substring(0, signature.length() - 2) + (last == 'A' ? 'B' : 'A') + "=";
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, flipped, null), "signature");
    }

    @Test
    void absentOrBlankHeadersAndNonceGiveFalse() {
        String signature = answerSignature(TOKEN);
        assertTrue(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, signature, null));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, null, null));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, "", "  "));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, " , ,", ","));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, null, signature, null));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, " ", signature, null));
        assertFalse(accountOnly.valid(null, "POST", ANSWER_BODY, NONCE, signature, null));
        assertFalse(accountOnly.valid(ANSWER_URL, null, ANSWER_BODY, NONCE, signature, null));
    }

    @Test
    void garbageGivesFalse() {
        String signature = answerSignature(TOKEN);
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, "not base64 at all ✗", "%%%"));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, signature.substring(1), null));
        // a malformed percent escape in the query cannot be decoded: false, not an exception
        assertFalse(accountOnly.valid(ANSWER_URL + "&x=%zz", "POST", ANSWER_BODY, NONCE, signature, null));
        assertFalse(accountOnly.valid(ANSWER_URL + "&x=%4", "POST", ANSWER_BODY, NONCE, signature, null));
        Map<String, List<String>> nullKey = new HashMap<>(ANSWER_BODY);
        nullKey.put(null, List.of("x"));
        assertFalse(accountOnly.valid(ANSWER_URL, "POST", nullKey, NONCE, signature, null));
        assertThrows(IllegalArgumentException.class, () -> PlivoSignature.baseString(ANSWER_URL + "&x=%zz", "POST", null));
    }

    @Test
    void tokensAreRequiredAndNeverShown() {
        assertThrows(IllegalArgumentException.class, () -> new PlivoSignature(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new PlivoSignature(null));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new PlivoSignature(List.of(TOKEN, " ")));
        assertTrue(blank.getMessage().contains("#2"), blank.getMessage());
        assertFalse(blank.getMessage().contains(TOKEN), blank.getMessage());
        List<String> withNull = new ArrayList<>();
        withNull.add(TOKEN);
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> new PlivoSignature(withNull));

        String shown = new PlivoSignature(List.of(TOKEN, MAIN_ACCOUNT_TOKEN)).toString();
        assertEquals("PlivoSignature[tokens=2]", shown);
    }

    @Test
    void concurrentValidationsDoNotInterfere() throws Exception {
        // One shared Mac would mix the inputs of concurrent calls and flip some results.
        PlivoSignature twoTokens = new PlivoSignature(List.of(TOKEN, MAIN_ACCOUNT_TOKEN));
        String getCalled = withEncodedQuery(VECTOR_URL, VECTOR_PARAMS);
        Map<String, List<String>> body = multi(VECTOR_PARAMS);
        String postSignature = "k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=";
        String getSignature = "i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc=";
        String mainSignature = PlivoSignature.compute(MAIN_ACCOUNT_TOKEN, ANSWER_URL, "POST", ANSWER_BODY, NONCE);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> wrongCounts = new ArrayList<>();
            for (int worker = 0; worker < 8; worker++) {
                int offset = worker;
                Callable<Integer> task = () -> {
                    int wrong = 0;
                    for (int i = 0; i < 2_000; i++) {
                        boolean result;
                        boolean expected;
                        switch ((i + offset) % 4) {
                            case 0:
                                result = twoTokens.valid(VECTOR_URL_WITH_QUERY, "POST", body, NONCE, postSignature, null);
                                expected = true;
                                break;
                            case 1:
                                result = twoTokens.valid(getCalled, "GET", null, NONCE, getSignature, null);
                                expected = true;
                                break;
                            case 2:
                                result = twoTokens.valid(ANSWER_URL, "POST", ANSWER_BODY, NONCE, null, mainSignature);
                                expected = true;
                                break;
                            default:
                                result = twoTokens.valid(getCalled, "GET", null, NONCE, postSignature, getSignature.substring(2));
                                expected = false;
                        }
                        if (result != expected) {
                            wrong++;
                        }
                    }
                    return wrong;
                };
                wrongCounts.add(pool.submit(task));
            }
            for (Future<Integer> wrong : wrongCounts) {
                assertEquals(0, wrong.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static Map<String, List<String>> multi(Map<String, String> single) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        single.forEach((key, value) -> multi.put(key, List.of(value)));
        return multi;
    }

    /** The URL of a GET: Plivo's parameters form-encoded after any query of the configured URL. */
    static String withEncodedQuery(String configured, Map<String, String> params) {
        StringBuilder url = new StringBuilder(configured);
        char separator = configured.indexOf('?') < 0 ? '?' : '&';
        for (Map.Entry<String, String> param : params.entrySet()) {
            url.append(separator)
                    .append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return url.toString();
    }

    static String sdkSignature(String url, String method, Map<String, String> params) throws Exception {
        return Utils.computeSignatureV3(url, NONCE, TOKEN, method, new HashMap<>(params));
    }

    /** plivo-java's validateSignatureV3 takes its map as a generic varargs array, hence the suppression. */
    @SuppressWarnings("unchecked")
    static boolean sdkValid(String url, String nonce, String signature, String method, Map<String, String> params)
            throws Exception {
        return Utils.validateSignatureV3(url, nonce, signature, TOKEN, method, new HashMap<>(params));
    }

    static String hmac(String token, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    // Characters the SDK cross-check can take. Nothing in U+E000..U+FFFF: plivo-java sorts keys by UTF-16 unit.
    static final String[] KEY_PIECES = {"A", "B", "C", "L", "S", "T", "a", "b", "l", "s", "t", "x", "0", "7", "-", "_",
            "é", "漢"};
    static final String[] VALUE_PIECES = {"a", "Z", "0", "9", " ", " ", "&", "=", "+", "%", ".", ",", ";", ":", "/", "?",
            "<", ">", "@", "~", "*", "'", "\"", "é", "ü", "漢", "😀", "-", "_", "#"};

    static Map<String, String> randomParams(Random random, Set<String> reservedKeys) {
        int count = 1 + random.nextInt(14);
        Map<String, String> params = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(reservedKeys);
        while (params.size() < count) {
            String key = randomString(random, KEY_PIECES, 1 + random.nextInt(10));
            if (used.add(key)) {
                params.put(key, randomString(random, VALUE_PIECES, random.nextInt(25)));
            }
        }
        return params;
    }

    static String randomString(Random random, String[] pieces, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
