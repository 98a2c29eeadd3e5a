-- wrk script for bench/run.sh: each thread is one editor saving one draft through the API,
-- once a second, on the revision its previous save returned (If-Match / ETag).
--
--   wrk -t16 -c16 -d30s --latency -s bench/wrk/save.lua http://127.0.0.1:8080 -- editors.txt body.json PHASE
--
-- editors.txt has one line per editor: "TOKEN DRAFT_ID" (the draft starts at revision 1).
-- body.json is the practice saved each time. One connection per thread: a thread's requests
-- are sequential, so its ETag is always the one of its last save. Prints the same BENCH line
-- as rotate.lua (err_status counts answers that are not 2xx, e.g. a 412).

local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_index", thread_count)
end

local token, id, body
local etag = '"r1"'

function init(args)
   local editors, body_file, phase = args[1], args[2], args[3] or "api"
   if editors == nil or body_file == nil then
      error("save.lua: give editors.txt and body.json after --")
   end
   local n = 0
   for line in io.lines(editors) do
      if line ~= "" then
         n = n + 1
         if n == thread_index then
            token, id = line:match("^(%S+)%s+(%S+)$")
         end
      end
   end
   if token == nil then
      error("save.lua: no editor for thread " .. tostring(thread_index))
   end
   local f = assert(io.open(body_file, "rb"))
   -- Each editor keeps its own draft's slug (run.sh created them as "...-PHASE-N").
   body = f:read("*a"):gsub('"slug":"([%w%-]+)"', '"slug":"%1-' .. phase .. '-' .. thread_index .. '"', 1)
   f:close()
end

function request()
   return wrk.format("PUT", "/api/v1/practices/" .. id, {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
      ["If-Match"] = etag,
   }, body)
end

-- A 200 carries the new revision; a 412 (somebody else saved the draft) carries the newest
-- one: either way the next save is on the newest revision.
function response(status, headers, _)
   local tag = headers["etag"] or headers["ETag"]
   if tag ~= nil and (status == 200 or status == 412) then
      etag = tag
   end
end

-- An editor saves once a second: far more often than people do, enough to show whether
-- saves disturb the readers.
function delay()
   return 1000
end

function done(summary, latency, _)
   local e = summary.errors
   local us = summary.duration
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.2f bytes=%d mean_us=%.0f p50_us=%d p75_us=%d p90_us=%d p99_us=%d max_us=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
      summary.requests, us, summary.requests / (us / 1e6), summary.bytes, latency.mean,
      latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
