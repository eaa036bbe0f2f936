package io.ivrflow.wazo;

import io.ivrflow.prompts.SingleFlight;
import io.ivrflow.prompts.AudioCache;
import io.ivrflow.prompts.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
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

    private String mode = "directory";
    private String directory = "/var/lib/wazo/sounds/ivrflow";
    private String category = "ivrflow";
    private String confdUrl;
    private String authUrl;
    private String username;
    private String password;
    private String tenant;
    private long requestTimeoutMillis = 5000;
    private WazoHttp http;
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final SingleFlight<String, Void> publishing = new SingleFlight<>();

    @Override
    public boolean published(AudioCache.Entry entry) {
        return switch (mode()) {
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
        return publishing.run(entry.key(), () -> (mode().equals("confd") ? upload(entry) : copy(entry))
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
        return http().send("PUT", url, bytes, "application/octet-stream").thenCompose(r -> {
            if (r.status() == 404) {
                // the category does not exist yet: create it, then upload again
                return http().send("POST", confdUrl + "/sounds", Map.of("name", category))
                        .thenCompose(c -> http().send("PUT", url, bytes, "application/octet-stream"));
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
        return Path.of(directory).resolve(entry.key() + ".wav");
    }

    private String mode() {
        return mode.trim().toLowerCase(Locale.ROOT);
    }

    private synchronized WazoHttp http() {
        if (http == null) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofMillis(requestTimeoutMillis)).build();
            Duration timeout = Duration.ofMillis(requestTimeoutMillis);
            WazoAuth auth = new WazoAuth(client, authUrl, username, password, Duration.ofHours(1), timeout,
                    Clock.systemUTC());
            http = new WazoHttp(client, auth, tenant, timeout, 2, Duration.ofMillis(500));
        }
        return http;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---------------------------------------------------------------- configuration

    /** {@code directory}, {@code confd} or {@code none}. */
    public void setMode(String mode) {
        if (!Set.of("directory", "confd", "none").contains(mode.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("ivr.wazo.sounds-publish is directory, confd or none, not '" + mode + "'");
        }
        this.mode = mode;
    }

    /** Folder the files are copied into ({@code directory} mode), on a disk Asterisk reads. */
    public void setDirectory(String directory) {
        this.directory = directory;
    }

    public void setCategory(String category) {
        this.category = category;
    }

    public void setConfdUrl(String confdUrl) {
        this.confdUrl = confdUrl;
    }

    public void setAuthUrl(String authUrl) {
        this.authUrl = authUrl;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public void setRequestTimeoutMillis(long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
    }
}
