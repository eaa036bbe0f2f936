package io.ivrflow.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parsing of the list-valued settings of application.properties. */
public final class Settings {

    private Settings() {
    }

    /** {@code name=value,name=value} in order; blank names or values and items without {@code =} are skipped. */
    public static Map<String, String> pairs(String spec) {
        Map<String, String> map = new LinkedHashMap<>();
        if (spec == null) {
            return map;
        }
        for (String item : spec.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (!name.isEmpty() && !value.isEmpty()) {
                map.put(name, value);
            }
        }
        return map;
    }
}
