/// A token of a search filter or order-by expression.
enum FilterToken: Equatable {
    /// An unquoted run of characters: an identifier, keyword or number.
    case word(String)
    /// A quoted string; `quote` is `'`, `"` or `` ` ``.
    case quoted(String, quote: Character)
    /// A comparison operator: `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`.
    case op(String)
    case leftParen
    case rightParen
    case comma

    var text: String {
        switch self {
        case .word(let w): w
        case .quoted(let s, let q): "\(q)\(s)\(q)"
        case .op(let o): o
        case .leftParen: "("
        case .rightParen: ")"
        case .comma: ","
        }
    }
}

/// A token with whether whitespace preceded it (so `metrics.` + `` `a b` `` joins into one key).
struct LexedToken {
    var token: FilterToken
    var spaceBefore: Bool
}

/// Splits filter text into tokens.
enum FilterLexer {
    static func tokenize(_ text: String) throws(MlflowError) -> [LexedToken] {
        var tokens: [LexedToken] = []
        let chars = Array(text)
        var i = 0
        var space = true
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                space = true
                i += 1
                continue
            }
            switch c {
            case "'", "\"", "`":
                var value = ""
                var j = i + 1
                var closed = false
                while j < chars.count {
                    if chars[j] == "\\", j + 1 < chars.count, chars[j + 1] == c || chars[j + 1] == "\\" {
                        value.append(chars[j + 1])
                        j += 2
                    } else if chars[j] == c {
                        if j + 1 < chars.count, chars[j + 1] == c {
                            value.append(c)
                            j += 2
                        } else {
                            closed = true
                            j += 1
                            break
                        }
                    } else {
                        value.append(chars[j])
                        j += 1
                    }
                }
                guard closed else {
                    throw .invalid("Invalid filter string '\(text)': unterminated quote \(c) at position \(i).")
                }
                tokens.append(LexedToken(token: .quoted(value, quote: c), spaceBefore: space))
                i = j
            case "(":
                tokens.append(LexedToken(token: .leftParen, spaceBefore: space))
                i += 1
            case ")":
                tokens.append(LexedToken(token: .rightParen, spaceBefore: space))
                i += 1
            case ",":
                tokens.append(LexedToken(token: .comma, spaceBefore: space))
                i += 1
            case "=", "!", "<", ">":
                var op = String(c)
                if i + 1 < chars.count, chars[i + 1] == "=" || (c == "<" && chars[i + 1] == ">") {
                    op.append(chars[i + 1])
                }
                if op == "!" {
                    throw .invalid("Invalid filter string '\(text)': '!' must be followed by '='.")
                }
                tokens.append(LexedToken(token: .op(op == "<>" ? "!=" : op), spaceBefore: space))
                i += op.count
            default:
                var word = ""
                while i < chars.count {
                    let d = chars[i]
                    if d.isWhitespace || "'\"`(),=!<>".contains(d) { break }
                    word.append(d)
                    i += 1
                }
                tokens.append(LexedToken(token: .word(word), spaceBefore: space))
            }
            space = false
        }
        return tokens
    }
}
