/**
 * KEYS: position, then a zset and a members hash (id → member) per namespace (global, or a board's period).
 * ARGV: from, to, then per namespace: n adds, n removes, the adds as (id, zset score, member), the removed ids.
 * Applies a page of the change feed only if the index stands exactly at `from`, and moves it to `to` in the
 * same script: pages are applied once, in order, by whichever instance gets there first. Returns the position
 * the index stands at afterwards ('' when it has none: rebuild).
 */
export const FOLLOW_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
if stored ~= ARGV[1] then return stored or '' end
local a = 3
for g = 1, (#KEYS - 1) / 2 do
  local zset, members = KEYS[2 * g], KEYS[2 * g + 1]
  local adds, removes = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  a = a + 2
  for i = 1, adds do
    local id, zscore, member = ARGV[a], ARGV[a + 1], ARGV[a + 2]
    a = a + 3
    local old = redis.call('HGET', members, id)
    if old and old ~= member then redis.call('ZREM', zset, old) end
    -- the score goes to Redis as the original string: Lua's own number formatting keeps only 14 digits
    redis.call('ZADD', zset, zscore, member)
    redis.call('HSET', members, id, member)
  end
  for i = 1, removes do
    local old = redis.call('HGET', members, ARGV[a])
    if old then
      redis.call('ZREM', zset, old)
      redis.call('HDEL', members, ARGV[a])
    end
    a = a + 1
  end
end
redis.call('SET', KEYS[1], ARGV[2])
return ARGV[2]`;

/**
 * KEYS: zset, members hash, position. ARGV: id, the least position the answer must reflect.
 * The 0-based rank; −1 when the user is not indexed; −2 when the index has no position (rebuilding);
 * −3 when the index has not yet applied that position.
 */
export const RANK_SCRIPT = `
local position = redis.call('GET', KEYS[3])
if not position then return -2 end
if position < ARGV[2] then return -3 end
local member = redis.call('HGET', KEYS[2], ARGV[1])
if not member then return -1 end
return redis.call('ZRANK', KEYS[1], member)`;

/** KEYS: zset, members hash (a rebuild's own keys). ARGV: triples of id, zset score, member. */
export const FILL_SCRIPT = `
for i = 1, #ARGV, 3 do
  redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i + 2])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
end
return 1`;

/** KEYS: position, then per namespace: zset, members, rebuilt zset, rebuilt members. ARGV: the rebuild's start position. */
export const SWAP_SCRIPT = `
for base = 2, #KEYS, 4 do
  for i = 0, 1 do
    if redis.call('EXISTS', KEYS[base + 2 + i]) == 1 then redis.call('RENAME', KEYS[base + 2 + i], KEYS[base + i]) else redis.call('DEL', KEYS[base + i]) end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

/** KEYS: lock. ARGV: token. Releases the lock only if this holder still has it. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * KEYS: zset, members hash, position. ARGV: the least position, ids. For each id its 0-based rank and zset score
 * (flat: rank, score, rank, score…; rank −1 and score '' when not indexed); −2 / −3 as RANK_SCRIPT. The cheap half
 * of a batch of watchers' standings: whether they moved, before anybody's neighbours are read.
 */
export const STANDINGS_SCRIPT = `
local position = redis.call('GET', KEYS[3])
if not position then return -2 end
if position < ARGV[1] then return -3 end
local out = {}
for i = 2, #ARGV do
  local member = redis.call('HGET', KEYS[2], ARGV[i])
  local rank = member and redis.call('ZRANK', KEYS[1], member)
  if rank then
    out[#out + 1] = rank
    out[#out + 1] = redis.call('ZSCORE', KEYS[1], member)
  else
    out[#out + 1] = -1
    out[#out + 1] = ''
  end
end
return out`;

/**
 * KEYS: zset, members hash, position. ARGV: the least position, radius, ids. For each id: {rank, first, window}
 * (0-based rank, the rank of the window's first member, the members within `radius` with their zset scores),
 * or {−1} when not indexed; −2 / −3 as RANK_SCRIPT. A batch of watchers' standings in one round trip.
 */
export const NEIGHBOURHOODS_SCRIPT = `
local position = redis.call('GET', KEYS[3])
if not position then return -2 end
if position < ARGV[1] then return -3 end
local radius = tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do
  local member = redis.call('HGET', KEYS[2], ARGV[i])
  local rank = member and redis.call('ZRANK', KEYS[1], member)
  if rank then
    local first = math.max(rank - radius, 0)
    out[#out + 1] = {rank, first, redis.call('ZRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')}
  else
    out[#out + 1] = {-1}
  end
end
return out`;

/**
 * KEYS: zset, members hash, position. ARGV: id, zset score and member before, zset score and member after.
 * A writer's rank at once: if the set still holds the user's state from before the write (nothing newer applied),
 * it moves them to the state after it (the same state the feed applies later: pages carry current state, so a
 * later change still wins); the 0-based rank of that state, or −3 when the set holds another state (the caller waits
 * for the feed), −2 without a position (rebuilding).
 */
export const MOVE_RANK_SCRIPT = `
if redis.call('EXISTS', KEYS[3]) == 0 then return -2 end
local current = redis.call('HGET', KEYS[2], ARGV[1])
if current == ARGV[3] and tonumber(redis.call('ZSCORE', KEYS[1], current)) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], current)
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[5])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
  current = ARGV[5]
end
if current ~= ARGV[5] or tonumber(redis.call('ZSCORE', KEYS[1], current)) ~= tonumber(ARGV[4]) then return -3 end
return redis.call('ZRANK', KEYS[1], current)`;
