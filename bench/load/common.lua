-- Shared by the wrk scripts of bench/load.sh: count non-2xx responses in every thread,
-- send the header the TLS proxy would add, and print one machine-readable RESULT line.
local threads = {}

wrk.headers["X-Forwarded-Proto"] = "https"

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  math.randomseed(os.time() * 1000 + id)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non2xx_total, e.connect + e.read + e.write + e.timeout, e.timeout))
end
