-- wrk script for bench/run.sh: GETs the request paths listed in a file, one a line, in turn.
--
--   wrk -t2 -c16 -d30s --latency -s bench/wrk/rotate.lua http://127.0.0.1:8080 -- paths.txt [PARTS]
--
-- Paths are sent as written (already URL-encoded, starting with "/"). Each thread starts at
-- a different place in the list. With PARTS (the thread count given to -t), each thread walks
-- only its own part instead (line k goes to thread k mod PARTS), so that no request repeats
-- one another thread made: the long tail, which no cache may answer. At the end one
-- machine-readable line is printed:
--   BENCH requests=... duration_us=... rps=... bytes=... mean_us=... p50_us=... p75_us=...
--         p90_us=... p99_us=... max_us=... err_connect=... err_read=... err_write=...
--         err_timeout=... err_status=... repeated=...
-- (err_status counts responses that are not 2xx or 3xx; repeated, with PARTS, counts requests
-- made after a thread had walked its whole part: 0 unless the list is too short for the run).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_index", #threads)
end

local requests = {}
local n = 0
local i = 0
local made = 0
repeated = 0

function init(args)
   local file, parts = args[1], tonumber(args[2])
   if file == nil then
      error("rotate.lua: give the paths file after --")
   end
   local line_number = 0
   for line in io.lines(file) do
      if line ~= "" and line:sub(1, 1) == "/" then
         if parts == nil or line_number % parts == (thread_index or 1) - 1 then
            n = n + 1
            requests[n] = wrk.format("GET", line)
         end
         line_number = line_number + 1
      end
   end
   if n == 0 then
      error("rotate.lua: no paths for this thread in " .. file)
   end
   if parts == nil then
      -- spread the threads' starting points over the list; repeats are expected
      i = ((thread_index or 1) - 1) * 7919 % n
      made = -math.huge
   end
end

function request()
   i = i + 1
   if i > n then
      i = 1
   end
   made = made + 1
   if made > n then
      repeated = repeated + 1
   end
   return requests[i]
end

function done(summary, latency, _)
   local again = 0
   for _, thread in ipairs(threads) do
      again = again + (thread:get("repeated") or 0)
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.2f bytes=%d mean_us=%.1f p50_us=%d p75_us=%d p90_us=%d p99_us=%d max_us=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d repeated=%d\n",
      summary.requests, summary.duration, summary.requests / seconds, summary.bytes,
      latency.mean, latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status, again))
end
