import ArgumentParser

/// A command that hands its arguments to another program, so options it does not declare are not errors.
protocol PassesArgumentsThrough {}

/// Finds a misspelt `--option` before a command runs, so `cairn drift --threshhold 0.1 …` says
/// "did you mean '--threshold'" instead of the error its input checks would raise about what is left.
enum UnknownOptions {
    /// The error text for the first unknown long option in `arguments` (after the subcommand names,
    /// before `--`), or nil when every option is known to the command.
    static func message(for arguments: [String], root: ParsableCommand.Type) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "cairn"]
        var index = 0
        while index < arguments.count,
            let sub = command.configuration.subcommands.first(where: {
                $0.configuration.commandName == arguments[index]
            })
        {
            command = sub
            path.append(arguments[index])
            index += 1
        }
        // A group that runs a default subcommand (`cairn monitor URI …` is `cairn monitor watch URI …`).
        if let fallback = command.configuration.defaultSubcommand {
            command = fallback
            path.append(fallback.configuration.commandName ?? "")
        }
        if command is any PassesArgumentsThrough.Type { return nil }
        let known = longNames(in: root.helpMessage(for: command, columns: 10_000)).union(["--help", "--version"])
        for argument in arguments[index...] {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.prefix { $0 != "=" })
            guard !known.contains(name) else { continue }
            let closest = known.filter { $0 != "--help" && $0 != "--version" }
                .map { ($0, distance($0, name)) }
                .filter { $0.1 <= 3 }
                .min { ($0.1, $0.0) < ($1.1, $1.0) }
            let hint = closest.map { " Did you mean '\($0.0)'?" } ?? ""
            return "Unknown option '\(name)'.\(hint)\n  See '\(path.joined(separator: " ")) --help' for the options."
        }
        return nil
    }

    /// Every `--long-name` a help text mentions.
    static func longNames(in help: String) -> Set<String> {
        var names: Set<String> = []
        let chars = Array(help)
        var i = 0
        while i + 2 < chars.count {
            if chars[i] == "-", chars[i + 1] == "-", chars[i + 2].isLetter || chars[i + 2].isNumber,
                i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "-")
            {
                var j = i + 2
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "-" { j += 1 }
                names.insert(String(chars[i..<j]))
                i = j
            } else {
                i += 1
            }
        }
        return names
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        var previous = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var current = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...max(y.count, 1) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return x.isEmpty ? y.count : previous[y.count]
    }
}
