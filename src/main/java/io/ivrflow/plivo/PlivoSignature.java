package io.ivrflow.plivo;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks Plivo's V3 request signatures ({@code X-Plivo-Signature-V3}, {@code X-Plivo-Signature-Ma-V3} and
 * {@code X-Plivo-Signature-V3-Nonce}).
 *
 * <p>The string that is signed follows Plivo's Python and Node SDKs (plivo-java differs on ports and empty bodies,
 * see the tests):
 * <ul>
 *   <li>{@code scheme://authority/path} of the URL Plivo called, port kept, query and fragment dropped;</li>
 *   <li>GET: {@code ?k1=v1&k2=v2…} of the decoded query parameters, sorted; no {@code ?} when there are none;</li>
 *   <li>POST: {@code ?} + the sorted query as above + {@code .} (only when both parts exist) + the sorted body
 *       parameters as {@code k1v1k2v2…}; nothing at all when there is neither query nor body;</li>
 *   <li>then {@code "." + nonce}; signature = Base64(HMAC-SHA256(auth token, that string as UTF-8)).</li>
 * </ul>
 * Keys and values are sorted by Unicode code point (what Python and Go do), a key with several values contributes
 * each value, and parameters are used decoded, never percent-encoded.
 *
 * <p>Thread-safe. Each thread keeps its own keyed {@link Mac} per token, because {@code Mac.getInstance} and
 * {@code Mac.init} cost far more than the HMAC of a short webhook.
 */
public final class PlivoSignature {

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    /** For {@link #compute}, which gets a new token on every call: one unkeyed Mac per thread, re-keyed each time. */
    private static final ThreadLocal<Mac> UNKEYED_MAC = ThreadLocal.withInitial(PlivoSignature::newHmac);

    /**
     * Unicode code point order. {@link String#compareTo} compares UTF-16 units, which puts characters above
     * U+FFFF (surrogate pairs) before U+E000..U+FFFF; Python and Go (byte order of UTF-8) do not.
     */
    static final Comparator<String> CODE_POINT_ORDER = PlivoSignature::compareCodePoints;

    private static final Comparator<Param> PARAM_ORDER = (a, b) -> {
        int byKey = compareCodePoints(a.key, b.key);
        return byKey != 0 ? byKey : compareCodePoints(a.value, b.value);
    };

    private final SecretKeySpec[] tokenKeys;
    /*
     * Not static: the Macs are keyed with this instance's tokens. The ThreadLocal is weakly referenced by each
     * thread, so the Macs go away with the instance.
     */
    private final ThreadLocal<Mac[]> keyedMacs = ThreadLocal.withInitial(this::newKeyedMacs);

    /**
     * @param authTokens the auth tokens a valid signature may be keyed with: the account's token and, because
     *                   {@code X-Plivo-Signature-Ma-V3} is keyed with it, the main account's token; during a
     *                   token rotation, the old and the new ones. At least one; none null or blank.
     * @throws IllegalArgumentException if the list is empty or holds a null or blank token (the message gives
     *                                  only its position, never a token)
     */
    public PlivoSignature(List<String> authTokens) {
        if (authTokens == null || authTokens.isEmpty()) {
            throw new IllegalArgumentException("at least one Plivo auth token is needed");
        }
        tokenKeys = new SecretKeySpec[authTokens.size()];
        for (int i = 0; i < tokenKeys.length; i++) {
            String token = authTokens.get(i);
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("Plivo auth token #" + (i + 1) + " is null or blank");
            }
            tokenKeys[i] = new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), HMAC_SHA256);
        }
        // Key the Macs once now, so that a key the provider refuses fails at start-up, not on the first call.
        keyedMacs.get();
    }

    /**
     * The string Plivo signs (before {@code "." + nonce} is appended).
     *
     * @param url        the full public URL Plivo called: {@code scheme://host[:port]/path[?rawquery][#fragment]},
     *                   the query still percent-encoded as it was sent. For GET, Plivo's parameters are in it.
     * @param method     {@code GET} or {@code POST}, in any case
     * @param bodyParams for POST, the decoded form parameters of the body (several values per key allowed); null or
     *                   empty when there are none. For GET, pass null: the query already holds Plivo's parameters.
     *                   (If given for GET they are merged in, a key of the query winning over the same key here, as in
     *                   the Python SDK; so passing the query's parameters a second time changes nothing.)
     * @return the base string
     * @throws IllegalArgumentException when the URL has no {@code scheme://host}, the query holds a malformed
     *                                  percent escape, the method is neither GET nor POST or a parameter name is null
     */
    public static String baseString(String url, String method, Map<String, List<String>> bodyParams) {
        return appendBaseString(new StringBuilder(256), url, method, bodyParams).toString();
    }

    /**
     * The V3 signature of one request, keyed with one token: Base64(HMAC-SHA256(token, baseString + "." + nonce)).
     *
     * @param token      auth token (UTF-8 bytes are the HMAC key)
     * @param url        as for {@link #baseString}
     * @param method     as for {@link #baseString}
     * @param bodyParams as for {@link #baseString}
     * @param nonce      value of {@code X-Plivo-Signature-V3-Nonce}
     * @return the signature in standard Base64 with padding, as Plivo sends it
     * @throws IllegalArgumentException as {@link #baseString}, or for an empty token
     * @throws NullPointerException     for a null token, url, method or nonce
     */
    public static String compute(String token, String url, String method, Map<String, List<String>> bodyParams,
                                 String nonce) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(nonce, "nonce");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token is empty");
        }
        byte[] message = message(url, method, bodyParams, nonce);
        Mac mac = UNKEYED_MAC.get();
        try {
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
        } catch (GeneralSecurityException e) {
            // The exception of a provider might describe the key; keep only its type.
            throw new IllegalStateException("HMAC-SHA256 refused the key (" + e.getClass().getSimpleName() + ")");
        }
        return BASE64.encodeToString(mac.doFinal(message));
    }

    /**
     * Whether a request carries a V3 signature made with one of the configured tokens.
     *
     * @param url        as for {@link #baseString}
     * @param method     as for {@link #baseString}
     * @param bodyParams as for {@link #baseString}
     * @param nonce      value of {@code X-Plivo-Signature-V3-Nonce}
     * @param v3Header   value of {@code X-Plivo-Signature-V3}: one or more signatures separated by commas; may be null
     * @param maV3Header value of {@code X-Plivo-Signature-Ma-V3}, same form; may be null
     * @return true when any entry of either header equals the signature computed with any configured token
     *         (compared in constant time); false for anything else, including a null or blank nonce, both headers
     *         null or blank, a URL or query that cannot be parsed and an unknown method. Never throws.
     */
    public boolean valid(String url, String method, Map<String, List<String>> bodyParams, String nonce,
                         String v3Header, String maV3Header) {
        // Plivo always sends a nonce with a signature; a request without one did not come from Plivo.
        if (url == null || method == null || nonce == null || nonce.isBlank()) {
            return false;
        }
        List<byte[]> presented = new ArrayList<>(4);
        addHeaderEntries(v3Header, presented);
        addHeaderEntries(maV3Header, presented);
        if (presented.isEmpty()) {
            return false;
        }
        byte[] message;
        try {
            message = message(url, method, bodyParams, nonce);
        } catch (IllegalArgumentException unsignable) {
            return false;
        }
        for (Mac mac : keyedMacs.get()) {
            byte[] expected = BASE64.encode(mac.doFinal(message));
            for (byte[] candidate : presented) {
                // isEqual does not stop at the first differing byte, so timing does not reveal a prefix.
                if (MessageDigest.isEqual(expected, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Shows how many tokens there are, never the tokens themselves. */
    @Override
    public String toString() {
        return "PlivoSignature[tokens=" + tokenKeys.length + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    record Param(String key, String value) {
    }

    private static byte[] message(String url, String method, Map<String, List<String>> bodyParams, String nonce) {
        StringBuilder signed = appendBaseString(new StringBuilder(256 + nonce.length()), url, method, bodyParams);
        return signed.append('.').append(nonce).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder appendBaseString(StringBuilder out, String url, String method,
                                                  Map<String, List<String>> bodyParams) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        boolean isGet = isGet(method);

        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("URL has no scheme://");
        }
        int authorityStart = schemeEnd + 3;
        int fragmentStart = url.indexOf('#', authorityStart);
        int end = fragmentStart < 0 ? url.length() : fragmentStart;
        int queryStart = url.indexOf('?', authorityStart);
        if (queryStart >= end) {
            queryStart = -1; // a '?' inside the fragment
        }
        int pathEnd = queryStart < 0 ? end : queryStart;
        int authorityEnd = url.indexOf('/', authorityStart);
        if (authorityEnd < 0 || authorityEnd > pathEnd) {
            authorityEnd = pathEnd;
        }
        if (authorityEnd == authorityStart) {
            throw new IllegalArgumentException("URL has no host");
        }

        // The SDKs all lower-case the scheme (urlparse, url.Parse, java.net.URL); host, port and path stay verbatim.
        for (int i = 0; i < schemeEnd; i++) {
            out.append(Character.toLowerCase(url.charAt(i)));
        }
        out.append("://").append(url, authorityStart, pathEnd);

        List<Param> query = new ArrayList<>();
        if (queryStart >= 0) {
            parseQuery(url, queryStart + 1, end, query);
        }

        if (isGet) {
            if (bodyParams != null && !bodyParams.isEmpty()) {
                addAbsentFrom(query, bodyParams);
            }
            if (!query.isEmpty()) {
                query.sort(PARAM_ORDER);
                out.append('?');
                appendAsQuery(out, query);
            }
            return out;
        }

        List<Param> body = new ArrayList<>(bodyParams == null ? 0 : bodyParams.size() + 4);
        if (bodyParams != null) {
            addAll(bodyParams, body);
        }
        if (query.isEmpty() && body.isEmpty()) {
            return out;
        }
        out.append('?');
        if (!query.isEmpty()) {
            query.sort(PARAM_ORDER);
            appendAsQuery(out, query);
            if (!body.isEmpty()) {
                out.append('.');
            }
        }
        body.sort(PARAM_ORDER);
        for (Param param : body) {
            out.append(param.key).append(param.value);
        }
        return out;
    }

    private static boolean isGet(String method) {
        if ("GET".equalsIgnoreCase(method)) {
            return true;
        }
        if ("POST".equalsIgnoreCase(method)) {
            return false;
        }
        throw new IllegalArgumentException("Plivo signs GET and POST requests only");
    }

    /**
     * Splits {@code url[from, to)} on '&' and the first '=' of each pair, then percent-decodes (a '+' is a space).
     * Empty pairs are skipped and a pair without '=' has an empty value, as Python's parse_qs(keep_blank_values).
     */
    /** A raw query string's parameters, decoded, in order (the webhooks read Plivo's GET parameters with it). */
    static List<Param> queryParams(String rawQuery) {
        List<Param> params = new ArrayList<>();
        parseQuery(rawQuery, 0, rawQuery.length(), params);
        return params;
    }

    private static void parseQuery(String url, int from, int to, List<Param> into) {
        int pairStart = from;
        while (pairStart < to) {
            int pairEnd = url.indexOf('&', pairStart);
            if (pairEnd < 0 || pairEnd > to) {
                pairEnd = to;
            }
            if (pairEnd > pairStart) {
                int equals = url.indexOf('=', pairStart);
                if (equals < 0 || equals > pairEnd) {
                    into.add(new Param(decode(url.substring(pairStart, pairEnd)), ""));
                } else {
                    into.add(new Param(decode(url.substring(pairStart, equals)),
                            decode(url.substring(equals + 1, pairEnd))));
                }
            }
            pairStart = pairEnd + 1;
        }
    }

    private static String decode(String encoded) {
        // URLDecoder returns its argument untouched when there is no '%' or '+', so plain values cost no copy.
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    private static void addAll(Map<String, List<String>> params, List<Param> into) {
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            String key = requireKey(entry.getKey());
            List<String> values = entry.getValue();
            if (values != null) {
                for (String value : values) {
                    into.add(new Param(key, value == null ? "" : value));
                }
            }
        }
    }

    /** Python's {@code params.update(query)}: for a GET, a key of the query replaces the same key given separately. */
    private static void addAbsentFrom(List<Param> query, Map<String, List<String>> params) {
        Set<String> queryKeys = new HashSet<>();
        for (Param param : query) {
            queryKeys.add(param.key);
        }
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            String key = requireKey(entry.getKey());
            List<String> values = entry.getValue();
            if (values != null && !queryKeys.contains(key)) {
                for (String value : values) {
                    query.add(new Param(key, value == null ? "" : value));
                }
            }
        }
    }

    private static String requireKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("parameter name is null");
        }
        return key;
    }

    private static void appendAsQuery(StringBuilder out, List<Param> sorted) {
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0) {
                out.append('&');
            }
            Param param = sorted.get(i);
            out.append(param.key).append('=').append(param.value);
        }
    }

    /** Splits a header on commas and trims each entry (String.trim's notion of blank), skipping empty entries. */
    private static void addHeaderEntries(String header, List<byte[]> into) {
        if (header == null) {
            return;
        }
        int length = header.length();
        int entryStart = 0;
        while (entryStart <= length) {
            int comma = header.indexOf(',', entryStart);
            if (comma < 0) {
                comma = length;
            }
            int first = entryStart;
            int last = comma;
            while (first < last && header.charAt(first) <= ' ') {
                first++;
            }
            while (last > first && header.charAt(last - 1) <= ' ') {
                last--;
            }
            if (last > first) {
                into.add(header.substring(first, last).getBytes(StandardCharsets.UTF_8));
            }
            entryStart = comma + 1;
        }
    }

    /** ICU's trick: at the first differing UTF-16 unit, move surrogates above U+E000..U+FFFF, then compare. */
    private static int compareCodePoints(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            int unitA = a.charAt(i);
            int unitB = b.charAt(i);
            if (unitA != unitB) {
                if (unitA >= Character.MIN_SURROGATE && unitB >= Character.MIN_SURROGATE) {
                    unitA = surrogatesLast(unitA);
                    unitB = surrogatesLast(unitB);
                }
                return unitA - unitB;
            }
        }
        return a.length() - b.length();
    }

    private static int surrogatesLast(int unit) {
        return unit > Character.MAX_SURROGATE ? unit - 0x800 : unit + 0x2000;
    }

    private static Mac newHmac() {
        try {
            return Mac.getInstance(HMAC_SHA256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JRE has no HmacSHA256", e);
        }
    }

    private Mac[] newKeyedMacs() {
        Mac[] macs = new Mac[tokenKeys.length];
        for (int i = 0; i < macs.length; i++) {
            macs[i] = newHmac();
            try {
                macs[i].init(tokenKeys[i]);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 refused auth token #" + (i + 1)
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return macs;
    }
}
