-- wrk script for bench/soak.py, which prepends `PAGES = {{path = ..., cookie = ...}, ...}` and
-- `UA = ...`: each connection walks the list from its own starting point, one page a request.
-- done() prints one BENCH_JSON line in the format of load.lua.

function init(args)
  codes, posts, sent = {}, 0, (number * 7) % #PAGES
end

function request()
  sent = sent + 1
  local page = PAGES[(sent % #PAGES) + 1]
  return wrk.format("GET", page.path, {["User-Agent"] = UA, ["Cookie"] = page.cookie})
end
-- setup(), response() and done(): bench/wrk_done.lua, appended by bench/soak.py
