-- wrk script for bench/load.py. load.py prepends a `CONFIG = {...}` table:
--   mode  "plain" (one GET of CONFIG.path, e.g. the ceiling or the request list) or "mix"
--   ua    the User-Agent the session was signed in with (Flask-Login "strong" protection)
--   users {cookie = "session=...", token = "mdg_...", ids = {ticket ids}} one per wrk thread
--   file_every, file_per_second  in "mix": every n-th request files a request through the API,
--         at most file_per_second per wrk thread and second (the API allows 600/min/address)
-- Every response's status is counted per thread; done() prints one BENCH_JSON line.

function init(args)
  user = CONFIG.users[((number - 1) % math.max(#CONFIG.users, 1)) + 1] or {}
  codes, posts, sent = {}, 0, 0
  second, filed_this_second = 0, 0
  math.randomseed(number * 7919)
  get_headers = {["User-Agent"] = CONFIG.ua}
  if user.cookie then get_headers["Cookie"] = user.cookie end
  post_headers = {["User-Agent"] = CONFIG.ua, ["Content-Type"] = "application/json",
                  ["Authorization"] = "Bearer " .. (user.token or "")}
  wrk.path = CONFIG.path
  wrk.headers["User-Agent"] = CONFIG.ua
  if user.cookie then wrk.headers["Cookie"] = user.cookie end
end

local function filing()
  local now = os.time()
  if now ~= second then second, filed_this_second = now, 0 end
  if filed_this_second >= CONFIG.file_per_second then return nil end
  filed_this_second = filed_this_second + 1
  posts = posts + 1
  local kind = (posts % 2 == 0) and '"kind":"question"' or '"kind":"incident","severity":"B"'
  local body = '{' .. kind .. ',"subject":"負荷試験の問い合わせ ' .. number .. '-' .. posts ..
    '","body":"wrk load run: filed through the API.","acknowledge_overage":true}'
  return wrk.format("POST", "/api/v1/tickets", post_headers, body)
end

if CONFIG.mode == "mix" then
  -- 40 % request list, 30 % dashboard, 30 % request detail; every n-th a filing
  function request()
    sent = sent + 1
    if sent % CONFIG.file_every == 0 then
      local req = filing()
      if req then return req end
    end
    local slot = sent % 10
    if slot < 4 then
      return wrk.format("GET", "/requests", get_headers)
    elseif slot < 7 then
      return wrk.format("GET", "/dashboard", get_headers)
    end
    return wrk.format("GET", "/requests/" .. user.ids[math.random(#user.ids)], get_headers)
  end
end
-- setup(), response() and done(): bench/wrk_done.lua, appended by bench/load.py
