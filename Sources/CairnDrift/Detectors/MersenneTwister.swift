/// MT19937 (Matsumoto & Nishimura, ACM TOMACS 8, 1998) seeded from an integer key with `init_by_array`,
/// plus the bounded-integer and sampling rules of CPython's `random` module (rejection sampling on the top
/// bits, and the pool method of `sample` for small populations). With the same seed it draws the same
/// indices as `random.Random(seed).sample(range(n), k)`, which KSWIN needs to reproduce river.
public struct MersenneTwister: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 625

    /// Seeds the generator as CPython does for a non-negative integer seed.
    public init(seed: UInt64) {
        var key: [UInt32] = []
        var s = seed
        repeat {
            key.append(UInt32(truncatingIfNeeded: s))
            s >>= 32
        } while s > 0
        initByArray(key)
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19_650_218)
        var i = 1
        var j = 0
        var k = max(624, key.count)
        while k > 0 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
            if j >= key.count { j = 0 }
            k -= 1
        }
        k = 623
        while k > 0 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
            k -= 1
        }
        state[0] = 0x8000_0000
    }

    /// The next 32 random bits.
    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 {
            for kk in 0..<624 {
                let y = (state[kk] & 0x8000_0000) | (state[(kk + 1) % 624] & 0x7FFF_FFFF)
                state[kk] = state[(kk + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// A uniform integer in 0..<n (n < 2³²) by rejection on the top bit_length(n) bits.
    public mutating func below(_ n: Int) -> Int {
        let bits = Int.bitWidth - n.leadingZeroBitCount
        while true {
            let r = Int(nextUInt32() >> UInt32(32 - bits))
            if r < n { return r }
        }
    }

    /// `k` distinct indices from 0..<n in selection order, with CPython's choice between the pool method
    /// (small populations) and rejection of repeats (large ones).
    public mutating func sample(populationSize n: Int, count k: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(k)
        var setSize = 21
        if k > 5 {
            var power = 1
            while power < 3 * k { power *= 4 }
            setSize += power
        }
        if n > setSize {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = below(n)
                while selected.contains(j) { j = below(n) }
                selected.insert(j)
                out.append(j)
            }
            return out
        }
        var pool = Array(0..<n)
        for i in 0..<k {
            let j = below(n - i)
            out.append(pool[j])
            pool[j] = pool[n - i - 1]
        }
        return out
    }
}
