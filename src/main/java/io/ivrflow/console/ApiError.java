package io.ivrflow.console;

/** A request the console API cannot serve, with the HTTP status and the words that tell the client why. */
public final class ApiError extends RuntimeException {

    private final int status;

    private ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, message);
    }
}
