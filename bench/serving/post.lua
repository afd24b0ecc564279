-- wrk script: POSTs the JSON bodies of a file (one per line) in turn over each connection and
-- prints one line "WRKJSON {...}" with the counts and latency percentiles when the run ends.
--   wrk -t1 -c8 -d15s -s post.lua http://127.0.0.1:PORT/invocations -- bodies.jsonl

local bodies = {}
local next_body = 0

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then
         bodies[#bodies + 1] = line
      end
   end
   next_body = math.random(#bodies) - 1
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
   next_body = next_body % #bodies + 1
   return wrk.format(nil, nil, nil, bodies[next_body])
end

function done(summary, latency, requests)
   io.write(string.format(
      'WRKJSON {"duration_us":%d,"requests":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
      summary.duration, summary.requests, summary.bytes,
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout,
      latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9)))
end
