/**
 * KEYS: zset, members hash (id → current member). ARGV: triples of id, zset score, member.
 * Applies each entry only when it is newer than what is stored: scores only grow, so the higher score
 * wins, and updates arriving late or out of order (several instances, rebuild vs live) never go back.
 */
export const APPLY_SCRIPT = `
local applied = 0
for i = 1, #ARGV, 3 do
  local id, zscore, member = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local old = redis.call('HGET', KEYS[2], id)
  local stale = false
  if old then
    local current = redis.call('ZSCORE', KEYS[1], old)
    if current and tonumber(current) <= tonumber(zscore) then stale = true
    elseif old ~= member then redis.call('ZREM', KEYS[1], old) end
  end
  if not stale then
    -- the score goes to Redis as the original string: Lua's own number formatting keeps only 14 digits
    redis.call('ZADD', KEYS[1], zscore, member)
    redis.call('HSET', KEYS[2], id, member)
    applied = applied + 1
  end
end
return applied`;

/**
 * KEYS: zset, members hash, ready flag. ARGV: id. Returns the 0-based rank, −1 when the user is not
 * indexed, −2 when the index is not (yet) complete.
 */
export const RANK_SCRIPT = `
local member = redis.call('HGET', KEYS[2], ARGV[1])
if not member then return -1 end
if redis.call('EXISTS', KEYS[3]) == 0 then return -2 end
return redis.call('ZRANK', KEYS[1], member)`;
