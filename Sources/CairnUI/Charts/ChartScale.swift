import Foundation

/// A linear or logarithmic mapping from data values to pixels, with readable tick marks.
struct ChartScale {
    var lo: Double
    var hi: Double
    var pixelLo: Double
    var pixelHi: Double
    var log: Bool

    /// Fits a scale to `values` (non-finite and, for log scales, non-positive values ignored).
    init(values: [Double], pixels: (Double, Double), log: Bool) {
        let usable = values.filter { $0.isFinite && (!log || $0 > 0) }
        var lo = usable.min() ?? 0
        var hi = usable.max() ?? 1
        if log {
            lo = Foundation.log10(lo > 0 ? lo : 1)
            hi = Foundation.log10(hi > 0 ? hi : 10)
        }
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }
        self.lo = lo
        self.hi = hi
        pixelLo = pixels.0
        pixelHi = pixels.1
        self.log = log
    }

    /// The same scale with its domain widened by `fraction` of its span on each side.
    func padded(by fraction: Double) -> ChartScale {
        var copy = self
        let pad = (hi - lo) * fraction
        copy.lo -= pad
        copy.hi += pad
        return copy
    }

    /// The pixel for a data value, nil when it cannot be drawn (NaN, or ≤ 0 on a log scale).
    func pixel(_ v: Double) -> Double? {
        guard v.isFinite, !log || v > 0 else { return nil }
        let t = ((log ? Foundation.log10(v) : v) - lo) / (hi - lo)
        return pixelLo + t * (pixelHi - pixelLo)
    }

    /// About `count` round tick values inside the domain.
    func ticks(count: Int = 5) -> [Double] {
        if log {
            let a = Int(lo.rounded(.down))
            let b = Int(hi.rounded(.up))
            let decades = b - a
            let multipliers: [Double] = decades <= 1 ? [1, 2, 3, 5, 7] : decades <= 3 ? [1, 2, 5] : [1]
            let stride = max(decades / max(count, 1), 1)
            var out: [Double] = []
            for e in Swift.stride(from: a, through: b, by: stride) {
                for m in multipliers {
                    let v = m * pow(10, Double(e))
                    let l = Foundation.log10(v)
                    if l >= lo - 1e-9 && l <= hi + 1e-9 { out.append(v) }
                }
            }
            return out
        }
        let raw = (hi - lo) / Double(max(count, 1))
        let mag = pow(10, (Foundation.log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + step * 1e-9, out.count < 50 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }
}

/// Ten distinguishable colours with good contrast on white.
enum Palette {
    static let colors = [
        "#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bc4c00", "#0a7d8c", "#bf3989", "#6e7781", "#9a6700",
        "#116329",
    ]

    static func color(_ i: Int) -> String { colors[i % colors.count] }
}
