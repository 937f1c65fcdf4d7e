-- What load.lua and soak.lua share (appended after them): setup() numbering the threads, each
-- answer's status counted per thread, and done() printing one BENCH_JSON line that
-- bench/load.py reads (requests, latency, errors, codes).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, filed = {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do
      total[status] = (total[status] or 0) + count
    end
    filed = filed + thread:get("posts")
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"posts":%d,"codes":{%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, filed, table.concat(parts, ",")))
end
