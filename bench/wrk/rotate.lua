-- wrk script for bench/run.sh: GETs the request paths listed in a file, one a line, in turn.
--
--   wrk -t2 -c16 -d30s --latency -s bench/wrk/rotate.lua http://127.0.0.1:8080 -- paths.txt
--
-- Paths are sent as written (already URL-encoded, starting with "/"). Each thread starts at
-- a different place in the list. At the end one machine-readable line is printed:
--   BENCH requests=... duration_us=... rps=... bytes=... mean_us=... p50_us=... p75_us=...
--         p90_us=... p99_us=... max_us=... err_connect=... err_read=... err_write=...
--         err_timeout=... err_status=...
-- (err_status counts responses that are not 2xx or 3xx).

local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_index", thread_count)
end

local requests = {}
local n = 0
local i = 0

function init(args)
   local file = args[1]
   if file == nil then
      error("rotate.lua: give the paths file after --")
   end
   for line in io.lines(file) do
      if line ~= "" and line:sub(1, 1) == "/" then
         n = n + 1
         requests[n] = wrk.format("GET", line)
      end
   end
   if n == 0 then
      error("rotate.lua: no paths in " .. file)
   end
   -- spread the threads' starting points over the list
   i = ((thread_index or 1) - 1) * 7919 % n
end

function request()
   i = i + 1
   if i > n then
      i = 1
   end
   return requests[i]
end

function done(summary, latency, _)
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.2f bytes=%d mean_us=%.1f p50_us=%d p75_us=%d p90_us=%d p99_us=%d max_us=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
      summary.requests, summary.duration, summary.requests / seconds, summary.bytes,
      latency.mean, latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
