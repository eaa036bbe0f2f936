package io.ivrflow.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Line and column of every value in a JSON document, by JSON pointer, so diagnostics can say where. */
public final class JsonLocations {

    static final JsonLocations NONE = new JsonLocations();

    private final Map<String, int[]> byPointer = new HashMap<>();

    static JsonLocations of(byte[] json) {
        JsonLocations locations = new JsonLocations();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            locations.walk(p);
        } catch (IOException e) {
            // the document does not parse; the loader reports that on its own
        }
        return locations;
    }

    private void walk(JsonParser p) throws IOException {
        // each frame: pointer of the container, and the next array index (-1 for objects)
        Deque<String> paths = new ArrayDeque<>();
        Deque<int[]> indexes = new ArrayDeque<>();
        String pendingField = null;
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            if (t == JsonToken.FIELD_NAME) {
                pendingField = p.currentName();
                continue;
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                paths.pop();
                indexes.pop();
                continue;
            }
            String pointer;
            if (paths.isEmpty()) {
                pointer = "";
            } else if (indexes.peek()[0] >= 0) {
                pointer = paths.peek() + "/" + indexes.peek()[0]++;
            } else {
                pointer = Pointers.child(paths.peek(), pendingField);
            }
            JsonLocation loc = p.currentTokenLocation();
            byPointer.put(pointer, new int[] {loc.getLineNr(), loc.getColumnNr()});
            if (t == JsonToken.START_OBJECT) {
                paths.push(pointer);
                indexes.push(new int[] {-1});
            } else if (t == JsonToken.START_ARRAY) {
                paths.push(pointer);
                indexes.push(new int[] {0});
            }
        }
    }

    /** Whether the file has a value at this pointer. */
    public boolean has(String pointer) {
        return byPointer.containsKey(pointer);
    }

    /** The diagnostic with the location of its pointer, or of the nearest enclosing value that has one. */
    public Diagnostic locate(Diagnostic d) {
        if (d.line() > 0) {
            return d;
        }
        String pointer = d.pointer();
        while (true) {
            int[] loc = byPointer.get(pointer);
            if (loc != null) {
                return d.at(loc[0], loc[1]);
            }
            int slash = pointer.lastIndexOf('/');
            if (slash < 0) {
                return d;
            }
            pointer = pointer.substring(0, slash);
        }
    }
}
