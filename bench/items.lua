-- wrk script of bench/cache.sh: each request asks for one video by an id drawn at random from the file named by
-- BENCH_IDS (one UUID a line), so concurrent requests ask for different items.
local ids = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_IDS")) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + (tonumber(tostring(ids):match("0x(%x+)"), 16) or 0))
end

function request()
  return wrk.format("GET", "/api/v1/videos/" .. ids[math.random(#ids)])
end
