-- wrk script for Scripts/bench-serve.sh. One file for the three runs; the mode is the first script argument:
--
--   wrk ... -s Scripts/bench/wrk-bench.lua URL -- plain
--       the request wrk builds from URL and -H headers (GET /inbox with the session cookie);
--   wrk ... -s Scripts/bench/wrk-bench.lua http://HOST:PORT -- pages CODES.lua
--       GET /cases/CODE, rotating over the codes in CODES.lua (`return { "CODE", ... }`);
--   wrk ... -s Scripts/bench/wrk-bench.lua http://HOST:PORT -- comments PAIRS.lua
--       POST /api/v1/cases/CODE/actions {"type":"comment","actor":OWNER,"text":"bench T-N"}, rotating over the
--       (code, owner) pairs in PAIRS.lua (`return { {"CODE","owner"}, ... }`); headers (Authorization,
--       Content-Type) come from -H.
--
-- Each thread walks its list round robin from its own offset, so consecutive requests use different entries.
--
-- response() counts every status per thread (anything outside 200..299 is an error, 3xx included: a redirect
-- to /login means the session was lost; wrk's own "Non-2xx or 3xx" count only takes 400 and above) and keeps
-- the first bodies of errors.
--
-- done() prints one machine-readable line (BENCH ...) with exact numbers (latencies in microseconds) that
-- bench-serve.sh parses, then up to five BENCH-SAMPLE lines.

local threads = {}   -- main state only: every thread, for done()

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

-- per-thread state (each thread has its own Lua state)
statuses = {}        -- status -> count
bad = 0              -- responses outside 200..299
samples = {}         -- first bodies of bad responses
local list, pos, sent = nil, 0, 0

local function load_list(path)
   local ok, value = pcall(dofile, path)
   if not ok then error("wrk-bench.lua: cannot load " .. tostring(path) .. ": " .. tostring(value)) end
   if type(value) ~= "table" or #value == 0 then error("wrk-bench.lua: " .. tostring(path) .. " holds no entries") end
   return value
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status < 200 or status > 299 then
      bad = bad + 1
      if #samples < 3 then
         local where = headers["Location"] or headers["location"]
         body = body or ""
         local text = body:match("<title>(.-)</title>") or string.sub(body, 1, 300)
         samples[#samples + 1] = status .. (where and (" -> " .. where) or "") .. " " .. text:gsub("%s+", " ")
      end
   end
end

-- wrk looks for request() after thread 1's init(), so init() may define it.
function init(args)
   local mode = args[1] or "plain"
   if mode == "plain" then return end
   list = load_list(args[2])
   -- Thread k starts (k-1)/k of the way into the list (wrk runs setup and init of thread k before it sets up
   -- thread k+1, so k is all a thread knows): with -t2 the two threads start half a list apart.
   pos = math.floor(#list * ((id or 1) - 1) / (id or 1))
   if mode == "pages" then
      request = function()
         pos = pos % #list + 1
         return wrk.format("GET", "/cases/" .. list[pos])
      end
   elseif mode == "comments" then
      request = function()
         pos = pos % #list + 1
         sent = sent + 1
         local pair = list[pos]
         local body = string.format('{"type":"comment","actor":"%s","text":"bench %d-%d"}', pair[2], id or 0, sent)
         return wrk.format("POST", "/api/v1/cases/" .. pair[1] .. "/actions", nil, body)
      end
   else
      error("wrk-bench.lua: unknown mode " .. mode .. " (plain, pages, comments)")
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   local total, nbad, hist, shown, codes = 0, 0, {}, {}, {}
   for _, t in ipairs(threads) do
      nbad = nbad + (t:get("bad") or 0)
      for status, n in pairs(t:get("statuses") or {}) do
         hist[status] = (hist[status] or 0) + n
         total = total + n
      end
      for _, s in ipairs(t:get("samples") or {}) do
         if #shown < 5 then shown[#shown + 1] = s end
      end
   end
   for status, n in pairs(hist) do codes[#codes + 1] = status .. ":" .. n end
   table.sort(codes)
   local socket = e.connect + e.read + e.write + e.timeout
   local secs = summary.duration / 1e6
   io.write(string.format(
      "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f non2xx=%d counted=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
      summary.requests, secs, summary.requests / secs, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, nbad, total, socket, e.connect, e.read, e.write, e.timeout,
      table.concat(codes, ",")))
   for _, s in ipairs(shown) do io.write("BENCH-SAMPLE " .. s .. "\n") end
end
