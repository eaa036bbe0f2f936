package io.ivrflow.prompts;

import io.ivrflow.flow.FlowLinter;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.polly.PollyClient;
import software.amazon.awssdk.services.polly.PollyClientBuilder;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Amazon Polly through camel-aws2-polly. Every option goes on the endpoint URI: the component ignores the
 * {@code textType} and {@code outputFormat} headers (its endpoint defaults win), so the URI is the one place
 * the request is defined. Credentials come from properties when set, else from the AWS default chain
 * (environment, profile, instance role); they never reach a URI or a log.
 *
 * <p>The component is given a client built here for one reason: it does not retry. The SDK would retry a
 * throttled request by itself, out of sight; {@link Speech} retries it instead, with its backoff, and counts
 * each throttling as a fault, so that running into Polly's requests-per-second limit shows in the metrics.
 *
 * <p>Voices: the flow's {@code Polly.Joanna} is Polly's {@code Joanna}; {@code Polly.Joanna-Neural} asks for the
 * neural engine. A flow voice that is not a Polly one falls back to a voice per language.
 */
public class PollySpeech implements SpeechBackend, AutoCloseable {

    /** Polly's voice per language when the flow names none. */
    private static final Map<String, String> DEFAULT_VOICES = Map.ofEntries(
            Map.entry("en-US", "Joanna"), Map.entry("en-GB", "Amy"), Map.entry("en-AU", "Olivia"),
            Map.entry("es-US", "Lupe"), Map.entry("es-ES", "Lucia"), Map.entry("es-MX", "Mia"),
            Map.entry("fr-FR", "Lea"), Map.entry("fr-CA", "Chantal"), Map.entry("de-DE", "Vicki"),
            Map.entry("it-IT", "Bianca"), Map.entry("pt-BR", "Camila"), Map.entry("nl-NL", "Lotte"));

    private final ProducerTemplate template;
    private final PromptSettings.Polly settings;
    private final Map<String, String> voices;
    private final PollyClient client;
    private final String clientName = "ivrflowPolly-" + java.util.UUID.randomUUID();

    /** @param template sends the requests to camel-aws2-polly (the caller's to stop) */
    public PollySpeech(PromptSettings.Polly settings, ProducerTemplate template) {
        this.settings = settings;
        this.template = template;
        Map<String, String> v = new HashMap<>(DEFAULT_VOICES);
        v.putAll(settings.voices());
        this.voices = Map.copyOf(v);
        PollyClientBuilder b = PollyClient.builder().region(Region.of(settings.region()))
                .credentialsProvider(!settings.accessKey().isBlank() && !settings.secretKey().isBlank()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(),
                        settings.secretKey()))
                        : DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (!settings.endpoint().isBlank()) {
            b.endpointOverride(URI.create(settings.endpoint()));
        }
        this.client = b.build();
        template.getCamelContext().getRegistry().bind(clientName, client);
    }

    /** Closes the client (its connection pool). */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String name() {
        return "polly";
    }

    @Override
    public Optional<SpeechSpec> spec(SpeechRequest r) {
        String voice = null;
        String eng = settings.engine();
        if (r.voice() != null && r.voice().startsWith("Polly.")) {
            voice = r.voice().substring("Polly.".length());
            if (voice.endsWith("-Neural")) {
                voice = voice.substring(0, voice.length() - "-Neural".length());
                eng = "neural";
            } else if (voice.endsWith("-Generative")) {
                voice = voice.substring(0, voice.length() - "-Generative".length());
                eng = "generative";
            }
        }
        if (voice == null) {
            voice = voices.get(r.language());
        }
        if (voice == null) {
            return Optional.empty();
        }
        AudioFormat format = r.target().format();
        return Optional.of(new SpeechSpec(name(), eng, voice, r.language(), r.ssml(), r.text(), format,
                r.target().sampleRate()));
    }

    @Override
    public byte[] synthesise(SpeechSpec spec) throws SpeechException {
        String tooLong = FlowLinter.speechLengthProblem(spec.text(), spec.ssml());
        if (tooLong != null) {
            throw new SpeechException(tooLong, false);
        }
        // Polly's pcm is 8 or 16 kHz; other WAV rates are resampled from 16 kHz
        boolean wav = spec.format() == AudioFormat.WAV;
        int pollyRate = wav ? (spec.sampleRate() <= 8000 ? 8000 : 16000) : spec.sampleRate();
        String uri = "aws2-polly:ivrflow?operation=synthesizeSpeech"
                + "&voiceId=" + spec.voice()
                + "&engine=" + spec.engine()
                + "&languageCode=" + spec.language()
                + "&textType=" + (spec.ssml() ? "ssml" : "text")
                + "&outputFormat=" + (wav ? "pcm" : "mp3")
                + "&sampleRate=" + pollyRate
                + "&pollyClient=#" + clientName;
        Exchange done = template.request(uri, e -> e.getMessage().setBody(spec.text()));
        Exception failure = done.getException();
        if (failure != null) {
            throw classify(failure);
        }
        byte[] audio = done.getMessage().getBody(byte[].class);
        if (audio == null || audio.length == 0) {
            throw new SpeechException("Polly returned no audio", true);
        }
        if (!wav) {
            return audio;
        }
        byte[] file = Wav.fromRaw(audio, pollyRate);
        return pollyRate == spec.sampleRate() ? file : Wav.write(Wav.resample(Wav.read(file), spec.sampleRate()));
    }

    /** Throttling, 5xx and network trouble may pass; anything else (bad SSML, unknown voice) will not. */
    static SpeechException classify(Exception failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof AwsServiceException) && !(t instanceof SdkClientException)) {
            t = t.getCause();
        }
        if (t instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? "" : aws.awsErrorDetails().errorCode();
            boolean retryable = aws.isThrottlingException() || aws.statusCode() >= 500
                    || (code != null && code.toLowerCase(Locale.ROOT).contains("throttl"));
            return new SpeechException("Polly answered " + aws.statusCode() + " " + code, retryable, failure);
        }
        if (t instanceof SdkClientException sdk) {
            return new SpeechException("Polly unreachable: " + sdk.getMessage(), true, failure);
        }
        return new SpeechException("Polly request failed: " + failure, false, failure);
    }
}
