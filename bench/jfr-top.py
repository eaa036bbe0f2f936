#!/usr/bin/env python3
"""Summarises the CPU samples of a JFR recording (jdk.ExecutionSample): the hottest methods by self time,
and the share of samples whose stack goes through each of a few groups of interest (inclusive time).
Usage: bench/jfr-top.py recording.jfr [thread-name-prefix]"""
import json, subprocess, sys, collections

jfr, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", jfr],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(raw)["recording"]["events"]

GROUPS = [  # label, substrings of "class.method" any of which puts a sample in the group
    ("PlivoWebhooks.handle (all of the webhook bean)", ["io.ivrflow.plivo.PlivoWebhooks.handle"]),
    ("  signature check (PlivoSignature.valid)", ["PlivoSignature.valid"]),
    ("    HMAC-SHA256 of the signature", ["PlivoSignature.valid>javax.crypto.Mac.doFinal"]),
    ("    base string (parse, sort, concatenate)", ["PlivoSignature.message"]),
    ("  PlivoWebhooks.read (params, form copy)", ["PlivoWebhooks.read"]),
    ("  PlivoCalls.handle (engine + XML + tokens)", ["io.ivrflow.plivo.PlivoCalls.handle"]),
    ("    state token seal", ["StateToken.seal"]),
    ("    state token open", ["StateToken.open"]),
    ("    SecureRandom (token nonce)", ["java.security.SecureRandom.nextBytes"]),
    ("    Engine (handle/start/fail)", ["io.ivrflow.engine.Engine.handle", "io.ivrflow.engine.Engine.start",
                                       "io.ivrflow.engine.Engine.fail"]),
    ("    new Engine(...) per call", ["io.ivrflow.engine.Engine.<init>"]),
    ("    PlivoXml (document writing)", ["io.ivrflow.plivo.PlivoXml."]),
    ("    CallJournal.record", ["CallJournal.record"]),
    ("    AudioFiles (prompt file lookup)", ["io.ivrflow.prompts.AudioFiles."]),
    ("  logging (log4j / slf4j)", ["org.apache.logging.log4j", "org.slf4j"]),
    ("Camel exchange on the worker (VertxPlatformHttpConsumer.processExchange)", ["VertxPlatformHttpConsumer.processExchange"]),
    ("Camel request -> message (headers and form into Camel headers)", ["VertxPlatformHttpConsumer.populateCamelMessage",
                                                                        "VertxPlatformHttpConsumer.populateMultiFormData"]),
    ("Camel message -> response (writeResponse)", ["VertxPlatformHttpSupport.writeResponse"]),
    ("Micrometer per-exchange metrics", ["org.apache.camel.component.micrometer"]),
    ("Camel unit of work done (events, JMX counters)", ["DefaultUnitOfWork.done"]),
    ("Vert.x form decoding (Netty HttpPostRequestDecoder, event loop)", ["HttpPostStandardRequestDecoder",
                                                                         "HttpPostRequestDecoder"]),
    ("Vert.x-web routing", ["io.vertx.ext.web.impl.RouterImpl.handle"]),
]

# bench/wazo-events.sh: the service, the fake Wazo and the callers share the JVM (used when the recording has Wazo
# adapter frames and no Plivo webhook ones)
WAZO_GROUPS = [
    ("AMQP delivery -> Camel route (spring-rabbitmq EndpointMessageListener.onMessage), all of it",
     ["EndpointMessageListener.onMessage"]),
    ("  AMQP message -> Camel exchange (spring-amqp and Camel header conversion)",
     ["EndpointMessageListener.createExchange"]),
    ("  the wazoEvents bean, WazoEvents.handle (parse, hand to the call's lane)", ["io.ivrflow.wazo.WazoEvents.handle"]),
    ("    BusEvent.parse (Jackson readTree)", ["io.ivrflow.wazo.BusEvent.parse"]),
    ("  Micrometer per-exchange metrics", ["org.apache.camel.component.micrometer"]),
    ("  Camel unit of work done (events, JMX counters)", ["DefaultUnitOfWork.done"]),
    ("  JMX performance counters (DefaultInstrumentationProcessor)", ["DefaultInstrumentationProcessor"]),
    ("call lanes (CallLanes: WazoCalls on the call's lane), all of it", ["io.ivrflow.wazo.CallLanes"]),
    ("  Engine (handle/start/fail)", ["io.ivrflow.engine.Engine.handle", "io.ivrflow.engine.Engine.start",
                                     "io.ivrflow.engine.Engine.fail"]),
    ("  PromptMedia (prompt -> file name, SHA-256)", ["io.ivrflow.wazo.PromptMedia."]),
    ("  WazoHttp.send (JSON body, request, HttpClient.sendAsync)", ["io.ivrflow.wazo.WazoHttp.send"]),
    ("  message acknowledgement (WazoEvents.settle -> basicAck)", ["io.ivrflow.wazo.WazoEvents.settle"]),
    ("  CallJournal.record", ["CallJournal.record"]),
    ("JDK HTTP client (jdk.internal.net.http), all of it", ["jdk.internal.net.http."]),
    ("  its connection pool (ExpiryList scans every connection returned in the same second)",
     ["jdk.internal.net.http.ConnectionPool"]),
    ("  calld's answers parsed (WazoHttp.parse, Jackson)", ["io.ivrflow.wazo.WazoHttp.parse"]),
    ("thread start of CompletableFuture's thread-per-task pool (common pool parallelism 1)",
     ["CompletableFuture$ThreadPerTaskExecutor"]),
    ("fake Wazo (test code), all of it", ["io.ivrflow.wazo.fake."]),
    ("  OpenAPI validation of each request", ["SwaggerRequestValidator.validate"]),
    ("  publishing its events", ["io.ivrflow.wazo.fake.FakeWazo.publish"]),
    ("the callers (io.ivrflow.bench)", ["io.ivrflow.bench."]),
    ("RabbitMQ Java client sending (publish, ack) and reading frames",
     ["com.rabbitmq.client.impl.AMQChannel.transmit", "com.rabbitmq.client.impl.AMQConnection$MainLoop"]),
    ("logging (log4j / slf4j)", ["org.apache.logging.log4j", "org.slf4j"]),
]


def frames(e):
    st = e["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f["method"]
        out.append(m["type"]["name"].replace("/", ".") + "." + m["name"])
    return out  # top (innermost) first

def thread(e):
    t = e["values"].get("sampledThread") or {}
    return t.get("javaName") or t.get("osName") or "?"

selected = [e for e in events if thread(e).startswith(prefix)]
total = len(selected)
print(f"{total} CPU samples{' on threads ' + prefix + '*' if prefix else ''} of {len(events)} in {jfr}")

by_thread = collections.Counter()
for e in events:
    name = thread(e)
    by_thread[name.rstrip("0123456789-")] += 1
print("\nsamples by thread group:")
for name, n in by_thread.most_common(8):
    print(f"  {n * 100 / len(events):5.1f}%  {name}")

self_count = collections.Counter()
for e in selected:
    fs = frames(e)
    if fs:
        self_count[fs[0]] += 1
print("\ntop methods by self time:")
for m, n in self_count.most_common(25):
    print(f"  {n * 100 / total:5.1f}%  {m}")

def any_frame(substring):
    return any(substring in f for e in selected for f in frames(e))

if any_frame("io.ivrflow.wazo.") and not any_frame("io.ivrflow.plivo."):
    GROUPS = WAZO_GROUPS

print("\ninclusive share of samples (stack goes through; groups overlap):")
for label, keys in GROUPS:
    n = 0
    for e in selected:
        fs = frames(e)
        joined = ">".join(reversed(fs))  # outermost first, so "a>b" means a calls b
        if any(k in joined for k in keys):
            n += 1
    print(f"  {n * 100 / total:5.1f}%  {label}")
