-- An allocation-heavy Lua script: tables, strings and closures built, churned and collected, with a checksum of
-- everything it computed so that two runs can be compared line by line.
local rounds = tonumber(arg[1]) or 40

local function tree(depth)
  if depth == 0 then return { value = depth } end
  return { left = tree(depth - 1), right = tree(depth - 1), value = depth }
end

local function count(node)
  if node.left == nil then return 1 end
  return 1 + count(node.left) + count(node.right)
end

local checksum = 0
for round = 1, rounds do
  local root = tree(14)
  checksum = (checksum + count(root)) % 1000000007
  local words = {}
  for i = 1, 20000 do words[#words + 1] = string.format("w%d-%d", round, i * 7919 % 10007) end
  table.sort(words)
  local joined = table.concat(words, ",", 1, 200)
  checksum = (checksum * 31 + #joined + #words[1] + #words[#words]) % 1000000007
  local counters = {}
  for i = 1, 5000 do
    local n = i
    counters[i] = function() n = n + round; return n end
  end
  for i = 1, #counters, 97 do checksum = (checksum + counters[i]()) % 1000000007 end
  if round % 10 == 0 then collectgarbage("collect") end
end
print(string.format("rounds %d checksum %d", rounds, checksum))
