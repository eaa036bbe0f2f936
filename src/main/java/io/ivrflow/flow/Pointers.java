package io.ivrflow.flow;

/** JSON pointer helpers (RFC 6901). */
public final class Pointers {

    private Pointers() {
    }

    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String parent, String token) {
        return parent + "/" + escape(token);
    }
}
