-- wrk script of scripts/bench: POSTs a JSON-RPC system.ping (unless the first argument is "get") and checks every
-- answer: status 200 and, when given, the body containing the second argument. Prints "checked: GOOD good BAD bad".
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  good, bad = 0, 0
  expect = args[2]
  if args[1] ~= "get" then
    wrk.method = "POST"
    wrk.body = '{"jsonrpc":"2.0","id":1,"method":"system.ping"}'
    wrk.headers["Content-Type"] = "application/json"
  end
end
function response(status, headers, body)
  if status == 200 and (expect == nil or string.find(body, expect, 1, true)) then good = good + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local g, b = 0, 0
  for _, t in ipairs(threads) do g = g + t:get("good"); b = b + t:get("bad") end
  io.write(string.format("checked: %d good %d bad\n", g, b))
end
