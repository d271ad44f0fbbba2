-- The answer-save POST as the browser's htmx sends it: each wrk thread is one candidate
-- (its own session and attempt) who keeps changing answers, with a rising seq so every
-- save is a real write, never an ignored stale one.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  -- args: a file written by bench/run.py with one line per candidate:
  -- cookie \t csrf \t path option option ... \t path option ...
  -- and optionally a prefix for every path, which sends the same posts to a bench view
  -- (bench/urls.py) that does only part of a save.
  prefix = args[2] or ""
  local lines = {}
  for line in io.lines(args[1]) do table.insert(lines, line) end
  local fields = {}
  for field in string.gmatch(lines[index], "[^\t]+") do table.insert(fields, field) end
  cookie, csrf = fields[1], fields[2]
  items = {}
  for i = 3, #fields do
    local parts = {}
    for part in string.gmatch(fields[i], "%S+") do table.insert(parts, part) end
    table.insert(items, parts)
  end
  -- BENCH_SEQ: where the save counter starts, above an earlier run's on the same items
  -- (a lower seq would be ignored as stale, which is a different, cheaper request).
  seq = tonumber(os.getenv("BENCH_SEQ") or "0")
end

function request()
  seq = seq + 1
  local item = items[(seq % #items) + 1]
  local option = item[(seq % (#item - 1)) + 2]
  local body = "seq=" .. seq .. "&spent=1000&choice=" .. option
  return wrk.format("POST", prefix .. item[1], {
    ["Cookie"] = cookie,
    ["X-CSRFToken"] = csrf,
    ["HX-Request"] = "true",
    ["HX-Target"] = "save-status",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

dofile("bench/report.lua")
