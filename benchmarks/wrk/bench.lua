-- The requests of benchmarks/http_load.py, for wrk 4 (LuaJIT). One script, a mode per scenario:
--
--   wrk ... -s benchmarks/wrk/bench.lua -- paths FILE
--       GET the lines of FILE in turn, each thread starting at its own line. A line is
--       "PATH" or "PATH<TAB>AUTHORIZATION" (the value of the Authorization header).
--   wrk ... -s benchmarks/wrk/bench.lua -- create AUTHORIZATION RUN
--       POST /api/v1/bookmarks with a JSON body whose URL is new on every request
--       (https://bench-create-RUN.example.org/<thread>/<n>).
--   wrk ... -s benchmarks/wrk/bench.lua -- login FILE PASSWORD
--       POST /api/v1/auth/login as the accounts of FILE (one email a line) in turn, all with
--       the same password.
--
-- At the end one line `WRK_RESULT {json}` carries the counts and the latency percentiles in
-- microseconds (wrk's own --latency output has no p95), and the number of responses that were
-- not 2xx/3xx with the last such status, read by a response() hook.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

local mode, requests, auths, index
-- Globals, not locals: done() reads them from each thread with thread:get().
bad_count, bad_status = 0, 0

local function read_lines(file)
   local paths, headers = {}, {}
   for line in io.lines(file) do
      if line ~= "" then
         local path, auth = line:match("^([^\t]+)\t(.+)$")
         if path == nil then
            path, auth = line, nil
         end
         table.insert(paths, path)
         table.insert(headers, auth)
      end
   end
   return paths, headers
end

function init(args)
   mode = args[1]
   wrk.headers["Accept"] = "application/json"
   if mode == "paths" then
      local paths, headers = read_lines(args[2])
      requests, auths = {}, {}
      for i, path in ipairs(paths) do
         local h = {}
         for k, v in pairs(wrk.headers) do h[k] = v end
         if headers[i] ~= nil then h["Authorization"] = headers[i] end
         requests[i] = wrk.format("GET", path, h)
      end
      index = ((id or 1) * 7919) % #requests  -- threads start apart
   elseif mode == "create" then
      wrk.method = "POST"
      wrk.path = "/api/v1/bookmarks/"
      wrk.headers["Content-Type"] = "application/json"
      wrk.headers["Authorization"] = args[2]
      run = args[3]
   elseif mode == "login" then
      wrk.method = "POST"
      wrk.path = "/api/v1/auth/login"
      wrk.headers["Content-Type"] = "application/json"
      requests = {}
      for email in io.lines(args[2]) do
         if email ~= "" then
            local body = string.format('{"email":"%s","password":"%s"}', email, args[3])
            table.insert(requests, wrk.format(nil, nil, nil, body))
         end
      end
      index = ((id or 1) * 7919) % #requests
   else
      error("unknown mode " .. tostring(mode))
   end
end

local tags = { "reading", "tools", "python", "databases", "later" }

function request()
   if mode == "paths" or mode == "login" then
      index = index % #requests + 1
      return requests[index]
   elseif mode == "create" then
      counter = counter + 1
      local body = string.format(
         '{"url":"https://bench-create-%s.example.org/%d/%d","title":"Created by wrk %d",' ..
         '"description":"A bookmark saved by the benchmark","tags":["bench","%s"]}',
         run, id or 0, counter, counter, tags[counter % #tags + 1])
      return wrk.format(nil, nil, nil, body)
   end
   return wrk.format()
end

function response(status, headers, body)
   if status >= 400 then
      bad_count = bad_count + 1
      bad_status = status
   end
end

function done(summary, latency, requests_)
   local bad, last = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("bad_count") or 0)
      local status = thread:get("bad_status") or 0
      if status ~= 0 then last = status end
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"bad_responses":%d,"last_bad_status":%d,' ..
      '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout, bad, last,
      latency.mean, latency.max, latency:percentile(50), latency:percentile(75),
      latency:percentile(90), latency:percentile(95), latency:percentile(99)))
end
