wrk.method = "POST"
wrk.body = '{"query":"{ __typename }"}'
wrk.headers["Content-Type"] = "application/json"
if os.getenv("TOKEN") and os.getenv("TOKEN") ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end
local non200 = 0
response = function(status, headers, body) if status ~= 200 then non200 = non200 + 1 end end
