-- The mock start POST as a new guest sends it: the CSRF cookie and token (from the
-- environment) but no session, so every request creates a guest and starts a real mock
-- (a candidate with an open mock would only resume it). args: the start path.
local csrf = os.getenv("BENCH_CSRF")

function init(args)
  path = args[1]
end

function request()
  return wrk.format("POST", path, {
    ["Cookie"] = "csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "language=en")
end

dofile("bench/report.lua")
