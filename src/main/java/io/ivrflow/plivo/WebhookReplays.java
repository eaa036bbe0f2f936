package io.ivrflow.plivo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ivrflow.ops.Repeats;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What keeps a replayed Plivo webhook from stepping a call twice. Plivo's state lives in the URLs, so the same
 * request can come again: Plivo retrying after a lost answer, or someone replaying a captured one.
 * <ul>
 *   <li>The same request (the same hook with the same state token, or the answer hook of the same call) gets the
 *       very document the first one got, for a few minutes: a retry carries on the call as if nothing happened,
 *       and nothing behind it (a lookup, a recording command) is done again. A copy that arrives while the first
 *       is being answered waits for that answer.</li>
 *   <li>For as long as tokens live, each call's last step is remembered: a token of an older step (a document
 *       already acted on) is refused without touching the call.</li>
 * </ul>
 * Both are bounded (documents by count and age, calls by count), so memory stays flat under any traffic; a call
 * pushed out of the bound is taken as unknown, the way one that started on another instance is.
 */
public final class WebhookReplays {

    /** What {@link #answer} did. */
    public enum Verdict { ANSWERED, REPEATED, REFUSED }

    /** A document and how it came about. */
    public record Answer(String document, Verdict verdict) {
    }

    private final Repeats<Answer> documents;
    private final Cache<String, Integer> lastSteps;

    /**
     * @param documentsKept how many recent documents are kept for repeats
     * @param keptFor       how long a document is kept for repeats
     * @param callsKept     how many calls' last steps are remembered
     * @param stepsKept     how long a call's last step is remembered: the state tokens' life
     */
    public WebhookReplays(int documentsKept, Duration keptFor, int callsKept, Duration stepsKept, Clock clock) {
        this.documents = new Repeats<>(documentsKept, keptFor, Duration.ofSeconds(30), clock);
        // no scheduler and no pool: expiry and eviction run on the calling thread, nothing outlives the service
        this.lastSteps = Caffeine.newBuilder().maximumSize(callsKept).expireAfterWrite(stepsKept)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
    }

    /**
     * The document for one webhook: the one already written for the same request, or a refusal when the call has
     * gone past this step, or the one {@code handle} writes now.
     *
     * @param request what makes the request the same as another: the hook and its token, or the answer's call
     * @param callId  the call (blank: not guarded, there is nothing to tell calls apart by)
     * @param step    the step the request is at: the token's, or 0 for the answer
     * @param refused the document for a request of an older step
     */
    public Answer answer(String request, String callId, int step, Supplier<String> handle, Supplier<String> refused) {
        if (callId == null || callId.isBlank()) {
            return new Answer(handle.get(), Verdict.ANSWERED);
        }
        Repeats.Answer<Answer> answer = documents.once(request, () -> stepOnce(callId, step, handle, refused),
                a -> true, () -> new Answer(refused.get(), Verdict.REFUSED));
        return answer.repeated() ? new Answer(answer.value().document(), Verdict.REPEATED) : answer.value();
    }

    private Answer stepOnce(String callId, int step, Supplier<String> handle, Supplier<String> refused) {
        boolean[] fresh = {false};
        Integer[] before = {null};
        lastSteps.asMap().compute(callId, (id, last) -> {
            // the answer (step 0) comes once per call; any other request must be past the call's last step
            before[0] = last;
            fresh[0] = last == null || step > last;
            return fresh[0] ? Integer.valueOf(step) : last;
        });
        if (!fresh[0]) {
            return new Answer(refused.get(), Verdict.REFUSED);
        }
        try {
            return new Answer(handle.get(), Verdict.ANSWERED);
        } catch (RuntimeException | Error e) {
            // nothing kept: a copy of this request is handled afresh
            lastSteps.asMap().computeIfPresent(callId, (id, last) -> last == step ? before[0] : last);
            throw e;
        }
    }

    /** The number of calls whose last step is remembered (for the soak's memory check). */
    public long callsRemembered() {
        lastSteps.cleanUp();
        return lastSteps.estimatedSize();
    }

    /** The number of documents kept for repeats. */
    public long documentsKept() {
        return documents.size();
    }
}
