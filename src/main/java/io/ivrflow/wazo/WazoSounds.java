package io.ivrflow.wazo;

import io.ivrflow.prompts.AudioCache;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.SingleFlight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts synthesised prompts where Asterisk plays them from, as {@code <key>.wav}, played as
 * {@code sound:<ivr.wazo.sounds-directory>/<key>}:
 * <ul>
 *   <li>{@code directory}: ivrflow runs on the Wazo host (or shares its disk): the file is copied into a folder,
 *       atomically;</li>
 *   <li>{@code confd}: uploaded with {@code PUT /sounds/{category}/files/{key}?format=wav}; confd keeps it in
 *       {@code /var/lib/wazo/sounds/tenants/<tenant>/<category>/}, which is then the sounds directory. The
 *       category is created when confd does not know it;</li>
 *   <li>{@code none}: the cache folder itself is the sounds folder (a shared mount); nothing to do.</li>
 * </ul>
 */
public class WazoSounds implements Platform.Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(WazoSounds.class);

    private final String mode;
    private final Path directory;
    private final String category;
    private final String confdUrl;
    private final WazoHttp http;
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final SingleFlight<String, Void> publishing = new SingleFlight<>();

    /**
     * @param mode      {@code directory}, {@code confd} or {@code none}
     * @param directory folder the files are copied into ({@code directory} mode), on a disk Asterisk reads
     * @param http      confd requests with the service account ({@code confd} mode)
     */
    public WazoSounds(String mode, Path directory, String category, String confdUrl, WazoHttp http) {
        if (!Set.of("directory", "confd", "none").contains(mode)) {
            throw new IllegalArgumentException("ivr.wazo.sounds-publish is directory, confd or none, not '" + mode + "'");
        }
        this.mode = mode;
        this.directory = directory;
        this.category = category;
        this.confdUrl = confdUrl;
        this.http = http;
    }

    @Override
    public boolean published(AudioCache.Entry entry) {
        return switch (mode) {
            case "none" -> true;
            case "directory" -> published.contains(entry.key())
                    || (Files.isRegularFile(target(entry)) && published.add(entry.key()));
            default -> published.contains(entry.key());
        };
    }

    @Override
    public CompletableFuture<Void> publish(AudioCache.Entry entry) {
        if (published(entry)) {
            return CompletableFuture.completedFuture(null);
        }
        // one upload per file, however many calls and pre-generation runs ask at once
        return publishing.run(entry.key(), () -> (mode.equals("confd") ? upload(entry) : copy(entry))
                .whenComplete((v, e) -> {
                    if (e == null) {
                        published.add(entry.key());
                    } else {
                        LOG.warn("wazo sounds: could not publish {}: {}", entry.fileName(), e.getMessage());
                    }
                }));
    }

    private CompletableFuture<Void> copy(AudioCache.Entry entry) {
        Path target = target(entry);
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), ".partial-", ".tmp");
            Files.copy(entry.file(), partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException("cannot write " + target, e));
        }
    }

    private CompletableFuture<Void> upload(AudioCache.Entry entry) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(entry.file());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        String url = confdUrl + "/sounds/" + enc(category) + "/files/" + enc(entry.key()) + "?format=wav";
        return http.send("PUT", url, bytes, "application/octet-stream").thenCompose(r -> {
            if (r.status() == 404) {
                // the category does not exist yet: create it, then upload again
                return http.send("POST", confdUrl + "/sounds", Map.of("name", category))
                        .thenCompose(c -> http.send("PUT", url, bytes, "application/octet-stream"));
            }
            return CompletableFuture.completedFuture(r);
        }).thenApply(r -> {
            if (r.status() != 204 && r.status() != 200) {
                throw new IllegalStateException("confd answered " + r.status() + " to the upload of " + entry.fileName());
            }
            return null;
        });
    }

    private Path target(AudioCache.Entry entry) {
        return directory.resolve(entry.key() + ".wav");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
