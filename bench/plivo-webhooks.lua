-- wrk script of bench/plivo-webhooks.sh: replays the signed Plivo webhooks that PlivoWebhookRequests wrote
-- (one a line: path-and-query TAB nonce TAB signature TAB form-body), each thread from its own offset, and
-- counts the answers that are not 200 application/xml.
-- Usage: wrk -t2 -c64 -d20s --latency -s bench/plivo-webhooks.lua http://127.0.0.1:PORT -- requests.tsv [check]
-- "check" (default) looks at every answer's status and Content-Type; "nocheck" only counts what wrk counts
-- itself (non-2xx answers, socket errors).

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local file = args[1] or error("give the requests file after --")
   check = (args[2] or "check") ~= "nocheck"
   requests = {}
   for line in io.lines(file) do
      local path, nonce, signature, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      if path then
         requests[#requests + 1] = wrk.format("POST", path, {
            ["Host"] = wrk.headers["Host"],
            ["Content-Type"] = "application/x-www-form-urlencoded",
            ["X-Plivo-Signature-V3-Nonce"] = nonce,
            ["X-Plivo-Signature-V3"] = signature,
            ["User-Agent"] = "PlivoHTTP/1.0 (wrk)",
         }, body)
      end
   end
   if #requests == 0 then error("no requests in " .. file) end
   -- threads start at different places, so they do not send the same request at the same moment
   index = (id * 7919) % #requests
   bad = 0
   notxml = 0
end

function request()
   index = index + 1
   if index > #requests then index = 1 end
   return requests[index]
end

function response(status, headers, body)
   if not check then return end
   if status ~= 200 then
      bad = bad + 1
   else
      local t = headers["Content-Type"] or headers["content-type"] or ""
      if t:sub(1, 15) ~= "application/xml" then notxml = notxml + 1 end
   end
end

function done(summary, latency, requests)
   local bad_total, notxml_total = 0, 0
   for _, t in ipairs(threads) do
      bad_total = bad_total + (t:get("bad") or 0)
      notxml_total = notxml_total + (t:get("notxml") or 0)
   end
   local errors = summary.errors
   io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
         "non200=%d notxml=%d socket_errors=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, bad_total, notxml_total,
      errors.connect + errors.read + errors.write + errors.timeout + errors.status))
end
