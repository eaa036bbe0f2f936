package io.ivrflow.ops;

/** What an API may say back about a request it refuses. */
public final class UserInput {

    private UserInput() {
    }

    /** User input echoed in an error message: printable ASCII, and short enough to read (null reads as empty). */
    public static String shown(String input) {
        String printable = input == null ? "" : input.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }
}
