-- wrk's page mix: a thread per connection (wrk -t 20 -c 20), so each connection is one
-- person with their own sessions, going round the pages from its own place in the list.
-- BENCH_MIX names the Lua file (written by drive.py) that lists the pages and sessions.
local mix = dofile(os.getenv("BENCH_MIX"))
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  sessions = mix.sessions[((id - 1) % #mix.sessions) + 1]
  turn = id
  bad = 0
  bad_status = ""
end

function request()
  local page = mix.pages[(turn % #mix.pages) + 1]
  turn = turn + 1
  return wrk.format("GET", page.path, {
    ["Cookie"] = "sessionid=" .. sessions[page.role],
    ["X-Forwarded-Proto"] = "https",
  })
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    bad_status = tostring(status)
  end
end

function done(summary, latency, requests)
  local bad_total, seen = 0, ""
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if thread:get("bad_status") ~= "" then seen = thread:get("bad_status") end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "requests_per_second": %.1f, "median_ms": %.1f, ' ..
    '"p95_ms": %.1f, "p99_ms": %.1f, "non_200": %d, "last_non_200": "%s", ' ..
    '"socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    bad_total, seen,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
