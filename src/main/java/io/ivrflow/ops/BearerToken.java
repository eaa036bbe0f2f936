package io.ivrflow.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A configured API token, checked against {@code Authorization: Bearer <token>}. Only a digest is kept, so the
 * token is in no field a dump or a toString could show; digests of equal length are compared in constant time,
 * so neither the token's content nor its length leaks through timing.
 */
public final class BearerToken {

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /** A blank token means none is configured. */
    public static BearerToken of(String token) {
        return new BearerToken(token == null || token.isBlank() ? null : sha256(token.trim()));
    }

    public boolean configured() {
        return digest != null;
    }

    /** The header carries this token (false when none is configured). */
    public boolean matches(String authorization) {
        if (digest == null || authorization == null) {
            return false;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(value.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return configured() ? "BearerToken[set]" : "BearerToken[not set]";
    }
}
