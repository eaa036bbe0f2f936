package io.ivrflow.prompts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recorded prompts (the {@code audio} of a prompt, a path relative to the flows folder), read once and
 * served with an ETag from their content. Play URLs carry that tag ({@code ?v=}), so a changed recording gets
 * a new URL and the old one may be cached for good.
 */
public final class AudioFiles {

    /** Longest file served (a prompt, not an album). */
    public static final long MAX_SIZE = 20L * 1024 * 1024;

    private static final Map<String, String> TYPES = Map.of("wav", "audio/wav", "mp3", "audio/mpeg");

    private final Path root;
    private final Map<String, Audio> cache = new ConcurrentHashMap<>();

    /** A file ready to serve; {@code etag} is quoted, as the header wants it. */
    public record Audio(String path, byte[] bytes, String contentType, String etag, long modified) {
        public String version() {
            return etag.substring(1, etag.length() - 1);
        }
    }

    public AudioFiles(String root) {
        this.root = Path.of(root).toAbsolutePath().normalize();
    }

    /**
     * The file at {@code relativePath} under the flows folder, if it is a wav or mp3 file that exists; never a
     * file outside the folder.
     */
    public Optional<Audio> find(String relativePath) {
        if (relativePath == null || relativePath.isEmpty() || relativePath.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String ext = relativePath.substring(relativePath.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(ext);
        if (type == null) {
            return Optional.empty();
        }
        Path file;
        try {
            file = root.resolve(relativePath).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!file.startsWith(root)) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile() || attrs.size() > MAX_SIZE) {
                return Optional.empty();
            }
            long modified = attrs.lastModifiedTime().toMillis();
            String key = root.relativize(file).toString();
            Audio known = cache.get(key);
            if (known != null && known.modified() == modified && known.bytes().length == attrs.size()) {
                return Optional.of(known);
            }
            byte[] bytes = Files.readAllBytes(file);
            Audio audio = new Audio(key.replace('\\', '/'), bytes, type, "\"" + hash(bytes) + "\"", modified);
            cache.put(key, audio);
            return Optional.of(audio);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The URL a platform fetches the file from, or empty when there is no such file. */
    public Optional<String> url(String baseUrl, String relativePath) {
        return find(relativePath).map(a -> baseUrl + "/audio/" + a.path() + "?v=" + a.version());
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
