-- motcua bench: durable intake. Each request is a clerk receiving a
-- dossier; clerks of many agencies take turns so no agency runs out of
-- its 9,999 dossier numbers of the day. One request per clerk is formatted
-- in init (see get.lua for why); wrk's summary counts answers that are not
-- 2xx (intake answers 201).
local reqs = {}
local n = 0

local bodies = {
  commune = '{"procedure_code":"1.001193","channel":"direct","applicant":{"name":"Nguyễn Văn An",' ..
            '"id_number":"038090001234","phone":"0912345678","address":"Thanh Hóa"},' ..
            '"documents":[{"name":"Tờ khai","kind":"original","count":1}]}',
  province = '{"procedure_code":"1.013831","channel":"online","applicant":{"name":"Trần Thị Bình",' ..
             '"id_number":"038090005678","phone":"0987654321","address":"Thanh Hóa"},' ..
             '"documents":[{"name":"Đơn đăng ký","kind":"original","count":1}]}',
}

function init(args)
  for line in io.lines(os.getenv("BENCH_CLERKS")) do
    local token, level = line:match("^(%S+)%s+(%S+)$")
    if token then
      reqs[#reqs + 1] = wrk.format("POST", "/api/v1/dossiers", {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. token,
      }, bodies[level])
    end
  end
  n = math.random(#reqs)
end

function request()
  n = n % #reqs + 1
  return reqs[n]
end
