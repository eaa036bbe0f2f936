package io.ivrflow.plivo;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Outcome;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A call's {@link CallState} carried in Plivo action URLs, so that any instance can answer any webhook and
 * no instance has to remember calls.
 *
 * <p>Layout (base64url, no padding): {@code version(1) | nonce(12) | AES-128-CTR(payload) | HMAC-SHA256(…)[0..16]};
 * the CTR counter block is the nonce followed by a 32-bit block counter starting at 0.
 * Besides the state, the payload holds the release of the flows the call runs on and the document's step number
 * (version 2): what steers the call comes from the token, never from the URL around it, and a token of an older
 * step of the call is a replay.
 * The payload is encrypted, not only signed, because call variables can be card numbers and URLs end up in
 * Plivo's logs; the HMAC (encrypt-then-MAC) makes any change to the token, or a token made with another
 * secret, fail as a whole. The payload names the call and when the token was made, so a token cannot be
 * replayed into another call, nor used after {@code maxAge}.
 */
public final class StateToken {

    private static final byte VERSION = 2;
    private static final int IV_LENGTH = 12;
    private static final int TAG_LENGTH = 16;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec macKey;
    private final Duration maxAge;
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<Cipher> ciphers;

    /**
     * What a token carries.
     *
     * @param release the release of the flows the call is pinned to
     * @param step    the number of the document the token was written into: 1 for the answer's, and one more for
     *                each webhook answered since
     */
    public record Sealed(CallState state, String release, int step) {
    }

    /** Why a token was refused; the message is safe to log (it never holds the token's content). */
    public static final class InvalidToken extends Exception {
        public InvalidToken(String message) {
            super(message);
        }
    }

    /**
     * @param secret shared by every instance that answers the same Plivo application
     * @param maxAge oldest token accepted (a Dial action comes back when the bridged call ends: hours)
     */
    public StateToken(String secret, Duration maxAge) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the state token secret is empty");
        }
        byte[] master = sha256(secret.getBytes(StandardCharsets.UTF_8));
        this.encryptionKey = new SecretKeySpec(derive(master, "ivrflow state token encryption"), 0, 16, "AES");
        this.macKey = new SecretKeySpec(derive(master, "ivrflow state token mac"), "HmacSHA256");
        this.maxAge = maxAge;
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(macKey);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        this.ciphers = ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance("AES/CTR/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A random secret for a single instance whose tokens need not survive a restart. */
    public static String randomSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    public String seal(Sealed sealed, Instant now) {
        byte[] payload = serialize(sealed, now);
        byte[] out = new byte[1 + IV_LENGTH + payload.length + TAG_LENGTH];
        out[0] = VERSION;
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        Arrays.fill(iv, IV_LENGTH, 16, (byte) 0);
        System.arraycopy(iv, 0, out, 1, IV_LENGTH);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
            c.doFinal(payload, 0, payload.length, out, 1 + IV_LENGTH);
            Mac mac = macs.get();
            mac.update(out, 0, 1 + IV_LENGTH + payload.length);
            byte[] tag = mac.doFinal();
            System.arraycopy(tag, 0, out, 1 + IV_LENGTH + payload.length, TAG_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a call state", e);
        }
        return B64.encodeToString(out);
    }

    /**
     * Opens a token made by {@link #seal}.
     *
     * @param callId the call the request is about; the token must belong to it
     */
    public Sealed open(String token, String callId, Instant now) throws InvalidToken {
        if (token == null || token.isEmpty()) {
            throw new InvalidToken("no state token");
        }
        byte[] raw;
        try {
            raw = B64D.decode(token);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("state token is not base64url");
        }
        if (raw.length < 1 + IV_LENGTH + TAG_LENGTH + 1 || raw[0] != VERSION) {
            throw new InvalidToken("state token has a wrong length or version");
        }
        int payloadLength = raw.length - 1 - IV_LENGTH - TAG_LENGTH;
        Mac mac = macs.get();
        mac.update(raw, 0, 1 + IV_LENGTH + payloadLength);
        byte[] expected = Arrays.copyOf(mac.doFinal(), TAG_LENGTH);
        byte[] actual = Arrays.copyOfRange(raw, raw.length - TAG_LENGTH, raw.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new InvalidToken("state token signature does not match (tampered, or made with another secret)");
        }
        byte[] payload;
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.DECRYPT_MODE, encryptionKey, new IvParameterSpec(counterBlock(raw)));
            payload = c.doFinal(raw, 1 + IV_LENGTH, payloadLength);
        } catch (GeneralSecurityException e) {
            throw new InvalidToken("state token cannot be decrypted");
        }
        Decoded d;
        try {
            d = deserialize(payload);
        } catch (IOException | RuntimeException e) {
            throw new InvalidToken("state token payload is malformed");
        }
        if (callId != null && !callId.equals(d.sealed.state().callId())) {
            throw new InvalidToken("state token belongs to another call");
        }
        if (d.issuedAt.plus(maxAge).isBefore(now)) {
            throw new InvalidToken("state token expired (issued " + d.issuedAt + ")");
        }
        return d.sealed;
    }

    /** The nonce stored after the version byte, padded with a zero block counter. */
    private static byte[] counterBlock(byte[] raw) {
        byte[] iv = new byte[16];
        System.arraycopy(raw, 1, iv, 0, IV_LENGTH);
        return iv;
    }

    // ---------------------------------------------------------------- payload

    private record Decoded(Sealed sealed, Instant issuedAt) {
    }

    private static byte[] serialize(Sealed sealed, Instant now) {
        CallState s = sealed.state();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(now.getEpochSecond());
            str(out, s.callId());
            str(out, s.flowId());
            str(out, s.nodeId());
            out.writeByte(s.phase().ordinal());
            out.writeByte(s.afterPlay() == null ? -1 : s.afterPlay().ordinal());
            str(out, s.language());
            out.writeShort(s.variables().size());
            for (Map.Entry<String, String> v : s.variables().entrySet()) {
                str(out, v.getKey());
                str(out, v.getValue());
            }
            out.writeShort(s.sensitive().size());
            for (String name : s.sensitive()) {
                str(out, name);
            }
            out.writeShort(s.noInputs());
            out.writeShort(s.noMatches());
            str(out, s.entry());
            out.writeLong(s.wakeAt() == null ? Long.MIN_VALUE : s.wakeAt().toEpochMilli());
            str(out, s.pendingRequest());
            out.writeShort(s.stack().size());
            for (CallState.Frame f : s.stack()) {
                str(out, f.flowId());
                str(out, f.nodeId());
            }
            out.writeInt(s.entries());
            out.writeByte(s.outcome() == null ? -1 : s.outcome().kind().ordinal());
            if (s.outcome() != null) {
                str(out, s.outcome().target());
            }
            str(out, sealed.release());
            out.writeInt(sealed.step());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static Decoded deserialize(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        Instant issuedAt = Instant.ofEpochSecond(in.readLong());
        String callId = str(in);
        String flowId = str(in);
        String nodeId = str(in);
        CallState.Phase phase = CallState.Phase.values()[in.readByte()];
        byte afterPlay = in.readByte();
        String language = str(in);
        int vars = in.readUnsignedShort();
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < vars; i++) {
            variables.put(str(in), str(in));
        }
        int secrets = in.readUnsignedShort();
        Set<String> sensitive = new HashSet<>();
        for (int i = 0; i < secrets; i++) {
            sensitive.add(str(in));
        }
        int noInputs = in.readUnsignedShort();
        int noMatches = in.readUnsignedShort();
        String entry = str(in);
        long wake = in.readLong();
        String pending = str(in);
        int frames = in.readUnsignedShort();
        List<CallState.Frame> stack = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            stack.add(new CallState.Frame(str(in), str(in)));
        }
        int entries = in.readInt();
        byte outcomeKind = in.readByte();
        Outcome outcome = outcomeKind < 0 ? null : new Outcome(Outcome.Kind.values()[outcomeKind], str(in));
        String release = str(in);
        int step = in.readInt();
        if (in.available() != 0) {
            throw new IOException("trailing bytes");
        }
        CallState state = new CallState(callId, flowId, nodeId, phase,
                afterPlay < 0 ? null : CallState.AfterPlay.values()[afterPlay], language, variables, sensitive,
                noInputs, noMatches, entry == null ? "" : entry, wake == Long.MIN_VALUE ? null : Instant.ofEpochMilli(wake),
                pending, stack, entries, outcome);
        return new Decoded(new Sealed(state, release, step), issuedAt);
    }

    /** A string or null: a presence byte, then modified UTF-8. */
    private static void str(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String str(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] derive(byte[] master, String purpose) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(master, "HmacSHA256"));
            return m.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "StateToken[maxAge=" + maxAge + "]";
    }
}
