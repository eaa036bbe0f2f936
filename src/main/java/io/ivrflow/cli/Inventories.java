package io.ivrflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivrflow.config.InvalidSettings;
import io.ivrflow.flow.PlatformInventory;
import io.ivrflow.wazo.ConfdInventory;
import io.ivrflow.wazo.WazoSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Where {@code lint --inventory} reads a platform's inventory from: a JSON file, or Wazo's confd at a URL. */
final class Inventories {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Environment variables the service reads its Wazo account from (application.properties), as properties. */
    private static final Map<String, String> WAZO_ENVIRONMENT = Map.of(
            "WAZO_USERNAME", "ivr.wazo.username", "WAZO_PASSWORD", "ivr.wazo.password",
            "WAZO_TENANT", "ivr.wazo.tenant", "WAZO_AUTH_URL", "ivr.wazo.auth-url");

    private Inventories() {
    }

    static PlatformInventory read(String source, Map<String, String> environment) throws Cli.UsageException {
        if (source.startsWith("http://") || source.startsWith("https://")) {
            return confd(source, environment);
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new Cli.UsageException("no inventory file " + source);
        }
        try {
            return PlatformInventory.read(source, JSON.readTree(Files.readAllBytes(file)));
        } catch (JsonProcessingException e) {
            throw new Cli.UsageException(source + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Cli.UsageException("cannot read " + source + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
    }

    private static PlatformInventory confd(String url, Map<String, String> environment) throws Cli.UsageException {
        Map<String, String> properties = new HashMap<>();
        WAZO_ENVIRONMENT.forEach((variable, property) -> {
            if (environment.get(variable) != null) {
                properties.put(property, environment.get(variable));
            }
        });
        properties.put("ivr.wazo.confd-url", url);
        try {
            return ConfdInventory.read(url, WazoSettings.of(properties));
        } catch (InvalidSettings e) {
            throw new Cli.UsageException("the Wazo account in the environment: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new Cli.UsageException("inventory from " + url + ": " + e.getMessage());
        }
    }
}
